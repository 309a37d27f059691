#!/usr/bin/env node
/**
 * `posthog-conversations hash|verify|emulator|doctor|trigger`: sign or check an identity, run the
 * emulator, check a setup, send a signed test delivery. Secrets come from the environment or
 * standard input, never from argv, which `ps` and shell history show.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigurationError, PostHogConversationsError } from '../basics/errors.js';
import { IdentitySigner } from '../identity/signer.js';
import { nearestKey } from '../basics/options.js';
import { SDK_VERSION } from '../basics/version.js';

const USAGE = `Usage:
  posthog-conversations hash <distinctId> [--email <email>] [--email-ttl-seconds <seconds>] [--json] [--secret-stdin]
  posthog-conversations verify <distinctId> <hash> [--email <email> --email-hash <hash> --exp <unix>] [--explain] [--json] [--secret-stdin]
  posthog-conversations emulator [--port <port>] [--host <address>] [--no-throttles] [--webhook-url <url> ...]
  posthog-conversations doctor [--origin <app URL>] [--email <address>] [--json] [--secret-stdin]
  posthog-conversations trigger <event> --url <receiver> [--id <webhook-id>] [--properties <json>] [--times <n>] [--json] [--secret-stdin]
  posthog-conversations --version

emulator --webhook-url delivers ticket events there, signed with POSTHOG_WEBHOOK_SECRET (default: the
emulator's own made-up secret, printed at start).

trigger posts one Conversations event to your webhook receiver, signed as PostHog signs it, with the
secret from POSTHOG_WEBHOOK_SECRET (or the first line of standard input with --secret-stdin). <event>
is ticket_created, message_received, ... (the $conversation_ prefix may be left out); --times 2 sends
it again with the same webhook-id, as PostHog's retries do (docs/webhooks.md).

doctor checks a live setup and says what to fix: it reads POSTHOG_HOST, POSTHOG_PROJECT_API_KEY, the
secret, and when set POSTHOG_WIDGET_TOKEN, POSTHOG_PERSONAL_API_KEY and POSTHOG_PROJECT_ID. Read-only.

The secret is read from POSTHOG_SECRET_API_TOKEN (verify also tries POSTHOG_SECRET_API_TOKEN_BACKUP),
or with --secret-stdin from standard input: the first line is the current secret, later lines previous ones.

Exit codes: 0 done (verify: valid; doctor: every check passed; trigger: every attempt answered 2xx), 1 verify: invalid (doctor: a check failed; trigger: an answer was not 2xx, or none came), 2 bad usage or input, 3 secret missing or malformed.`;

const EXIT = { ok: 0, invalid: 1, usage: 2, configuration: 3 } as const;

interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  readStdin: () => Promise<string>;
  out: (line: string) => void;
  err: (line: string) => void;
}

type Options = NonNullable<ParseArgsConfig['options']>;

// Each command accepts its own options only: `hash --port 9` is a usage error, not ignored.
const SECRET_INPUT: Options = { json: { type: 'boolean', default: false }, 'secret-stdin': { type: 'boolean', default: false } };
const COMMANDS: Record<string, Options> = {
  // --email-ttl-seconds as the option is named (emailTtlSeconds); --ttl, its first name, still works.
  hash: { ...SECRET_INPUT, email: { type: 'string' }, 'email-ttl-seconds': { type: 'string' }, ttl: { type: 'string' } },
  verify: {
    ...SECRET_INPUT,
    email: { type: 'string' },
    'email-hash': { type: 'string' },
    exp: { type: 'string' },
    explain: { type: 'boolean', default: false },
  },
  doctor: { ...SECRET_INPUT, origin: { type: 'string' }, email: { type: 'string' } },
  trigger: { ...SECRET_INPUT, url: { type: 'string' }, id: { type: 'string' }, properties: { type: 'string' }, times: { type: 'string' } },
  emulator: {
    port: { type: 'string' },
    host: { type: 'string' },
    'no-throttles': { type: 'boolean', default: false },
    'webhook-url': { type: 'string', multiple: true },
  },
};
const GLOBAL: Options = { help: { type: 'boolean', short: 'h', default: false }, version: { type: 'boolean', short: 'v', default: false } };

class UsageError extends Error {}

/** Where a command's secret comes from when it is not on standard input. */
const SECRET_API_TOKEN = {
  env: 'POSTHOG_SECRET_API_TOKEN',
  backup: 'POSTHOG_SECRET_API_TOKEN_BACKUP',
  what: 'your Secret API key, phs_...',
};
const WEBHOOK_SECRET = { env: 'POSTHOG_WEBHOOK_SECRET', backup: undefined, what: "the receiver's signing secret, whsec_..." };

async function readSecrets(
  useStdin: boolean,
  io: Io,
  source: typeof SECRET_API_TOKEN | typeof WEBHOOK_SECRET = SECRET_API_TOKEN,
): Promise<string[]> {
  if (useStdin) {
    // A pipe adds one line ending per line; anything else stays and is judged by the signer.
    const lines = (await io.readStdin()).split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    if (lines.length === 0) throw new ConfigurationError('--secret-stdin was given but standard input was empty.');
    return lines;
  }
  const current = io.env[source.env];
  if (current === undefined || current === '') throw new ConfigurationError(`Set ${source.env} (${source.what}) or pass --secret-stdin.`);
  const backup = source.backup === undefined ? undefined : io.env[source.backup];
  return backup ? [current, backup] : [current];
}

function toInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number`);
  if (!Number.isSafeInteger(Number(value))) throw new UsageError(`${flag} is too large: ${value.length} digits`);
  return Number(value);
}

/** Parses argv for its command, strictly; an unknown option names the nearest one of that command. */
function parse(argv: string[]): { command: string | undefined; values: Record<string, string | boolean | undefined>; rest: string[] } {
  const command = argv.find((arg) => !arg.startsWith('-'));
  const options = { ...GLOBAL, ...(command === undefined ? {} : COMMANDS[command]) };
  if (command !== undefined && COMMANDS[command] === undefined) {
    const nearest = nearestKey(command, Object.keys(COMMANDS));
    throw new UsageError(
      `unknown command '${command}'${nearest === undefined ? '' : `; did you mean '${nearest}'?`} (commands: ${Object.keys(COMMANDS).join(', ')})`,
    );
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { command, values: values as Record<string, string | boolean | undefined>, rest: positionals.slice(1) };
  } catch (error) {
    const unknown = /Unknown option '(--?[^']+)'/.exec((error as Error).message)?.[1];
    if (unknown === undefined) throw error;
    const known = Object.keys(options);
    const nearest = nearestKey(unknown.replace(/^--?/, ''), known);
    const where = command === undefined ? '' : ` for ${command}`;
    throw new UsageError(
      `unknown option ${unknown}${where}${nearest === undefined ? ` (options: ${known.map((k) => `--${k}`).join(', ')})` : `; did you mean --${nearest}?`}`,
    );
  }
}

async function run(io: Io): Promise<number> {
  if (io.argv.some((arg) => arg === '--secret' || arg.startsWith('--secret='))) {
    throw new UsageError(
      'Never pass the secret as an argument: ps and shell history show it. Use POSTHOG_SECRET_API_TOKEN (trigger: POSTHOG_WEBHOOK_SECRET) or --secret-stdin.',
    );
  }
  const { command, values, rest } = parse(io.argv);
  if (values.version) {
    io.out(SDK_VERSION);
    return EXIT.ok;
  }
  if (values.help || command === undefined) {
    io.out(USAGE);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  const text = (name: string) => values[name] as string | undefined;
  if (command === 'hash') {
    if (rest.length !== 1) throw new UsageError('hash takes exactly one <distinctId>');
    if (values.ttl !== undefined) {
      if (values['email-ttl-seconds'] !== undefined) throw new UsageError('give --email-ttl-seconds only (--ttl is its old name)');
      io.err('posthog-conversations: --ttl is now --email-ttl-seconds (the option emailTtlSeconds); --ttl still works for now');
    }
    const ttlFlag = values.ttl !== undefined ? '--ttl' : '--email-ttl-seconds';
    const ttlValue = text('email-ttl-seconds') ?? text('ttl');
    if (ttlValue !== undefined && values.email === undefined)
      throw new UsageError(`${ttlFlag} is the email claim's lifetime: give --email too (a plain hash has no lifetime)`);
    const [current] = await readSecrets(values['secret-stdin'] === true, io);
    const signer = new IdentitySigner({ secret: current! });
    const ttl = toInteger(ttlValue, ttlFlag);
    const fields = signer.identityFor(rest[0]!, { email: text('email'), emailTtlSeconds: ttl });
    if (values.json) io.out(JSON.stringify(fields));
    else if (values.email === undefined) io.out(fields.identity_hash);
    else for (const [key, value] of Object.entries(fields)) io.out(`${key}=${value}`);
    return EXIT.ok;
  }
  if (command === 'verify') {
    if (rest.length !== 2) throw new UsageError('verify takes <distinctId> <hash>');
    const [secret, ...previousSecrets] = await readSecrets(values['secret-stdin'] === true, io);
    const signer = new IdentitySigner({ secret: secret!, previousSecrets });
    const identityValid = signer.verify(rest[0]!, rest[1]!);
    let valid = identityValid;
    if (values.email !== undefined) {
      if (values['email-hash'] === undefined || values.exp === undefined) {
        throw new UsageError('verifying an email claim needs --email, --email-hash and --exp');
      }
      const claim = { distinctId: rest[0], email: text('email'), hash: text('email-hash'), exp: text('exp') };
      valid = valid && signer.verifyEmailClaim(claim);
    }
    if (values.explain !== true || valid) {
      io.out(values.json ? JSON.stringify({ valid }) : valid ? 'valid' : 'invalid');
      return valid ? EXIT.ok : EXIT.invalid;
    }
    const { explainClaimMismatch, explainMismatch } = await import('./explain.js');
    const keys = [secret!, ...previousSecrets].map((value, i) => ({ value, label: i === 0 ? 'the secret' : 'the previous secret' }));
    const others = [
      [io.env.POSTHOG_PROJECT_API_KEY, 'the project API key (phc_..., public: never sign with it)'],
      [io.env.POSTHOG_PERSONAL_API_KEY, 'a personal API key (phx_...)'],
    ]
      .filter((entry): entry is [string, string] => typeof entry[0] === 'string' && entry[0] !== '')
      .map(([value, label]) => ({ value, label }));
    const found = identityValid
      ? explainClaimMismatch(
          { id: rest[0]!, email: text('email')!, hash: text('email-hash')!, exp: text('exp')! },
          keys,
          Math.floor(Date.now() / 1000),
        )
      : explainMismatch(rest[0]!, rest[1]!, keys, others);
    const causes =
      found.length > 0
        ? found
        : [
            "none of the usual causes fits: the hash was made with a key this machine does not have (another project's secret, or one rotated away whose backup was deleted: PostHog verifies with the signing secret, the Secret API key, then the previous key until its backup is deleted), or for another id",
          ];
    if (values.json) io.out(JSON.stringify({ valid: false, causes }));
    else io.out(['invalid', ...causes.map((cause) => `  cause: ${cause}`)].join('\n'));
    return EXIT.invalid;
  }
  if (command === 'doctor') return runDoctor(values, rest, io);
  if (command === 'trigger') return runTrigger(values, rest, io);
  if (rest.length !== 0) throw new UsageError('emulator takes no arguments');
  const port = toInteger(text('port'), '--port') ?? 8010;
  if (port > 65_535) throw new UsageError('--port must be a whole number from 0 to 65535');
  const webhookUrls = (values['webhook-url'] as string[] | undefined) ?? [];
  for (const url of webhookUrls)
    if (!/^https?:\/\/[^\s]+$/.test(url) || !URL.canParse(url))
      throw new UsageError(`--webhook-url must be an http(s) URL, got ${JSON.stringify(url)}`);
  await runEmulator({ port, host: text('host') ?? '127.0.0.1', throttles: values['no-throttles'] !== true, webhookUrls }, io);
  return EXIT.ok;
}

/** `trigger`: one signed delivery (or several, with the same webhook-id) to a receiver, and its answers. */
async function runTrigger(values: Record<string, string | boolean | undefined>, rest: string[], io: Io): Promise<number> {
  if (rest.length !== 1)
    throw new UsageError("trigger takes exactly one <event>, such as ticket_created or '$conversation_message_received'");
  const event = rest[0]!.startsWith('$') ? rest[0]! : `$conversation_${rest[0]!.replace(/^conversation_/, '')}`;
  const [secret] = (await readSecrets(values['secret-stdin'] === true, io, WEBHOOK_SECRET)) as [string];
  let properties: Record<string, unknown> | undefined;
  if (values.properties !== undefined) {
    try {
      properties = JSON.parse(values.properties as string);
    } catch {
      throw new UsageError('--properties must be a JSON object, such as --properties \'{"ticket_number": 7}\'');
    }
  }
  const times = toInteger(values.times as string | undefined, '--times') ?? 1;
  if (times < 1 || times > 100) throw new UsageError('--times must be a whole number from 1 to 100');
  const { trigger } = await import('./trigger.js');
  const url = values.url as string | undefined;
  const result = await trigger({ event, url: url as string, secret, id: values.id as string | undefined, properties, times });
  const ok = result.attempts.every((a) => a.status !== undefined && a.status >= 200 && a.status < 300);
  if (values.json) io.out(JSON.stringify({ ok, event, url, ...result }));
  else {
    io.out(`${event} to ${url} (webhook-id ${result.id})`);
    for (const [i, a] of result.attempts.entries()) {
      const body = a.body ? `: ${a.body.length > 300 ? `${a.body.slice(0, 300)}...` : a.body}` : '';
      io.out(`  attempt ${i + 1}: ${a.status === undefined ? `no answer (${a.error})` : `${a.status}${body}`} in ${a.ms} ms`);
    }
  }
  return ok ? EXIT.ok : EXIT.invalid;
}

/** `doctor`: every check with ✓ or ✗, the fix under each failure; never a secret or a key. */
async function runDoctor(values: Record<string, string | boolean | undefined>, rest: string[], io: Io): Promise<number> {
  if (rest.length !== 0) throw new UsageError('doctor takes no arguments (it reads the POSTHOG_* environment variables)');
  const env = io.env;
  const projectApiKey = env.POSTHOG_PROJECT_API_KEY;
  if (!projectApiKey) throw new UsageError('Set POSTHOG_PROJECT_API_KEY (the phc_... key your pages pass to posthog.init).');
  const secret =
    values['secret-stdin'] === true || env.POSTHOG_SECRET_API_TOKEN
      ? (await readSecrets(values['secret-stdin'] === true, io))[0]
      : undefined;
  const { diagnose } = await import('./doctor.js');
  const diagnosis = await diagnose({
    host: env.POSTHOG_HOST || undefined,
    projectApiKey,
    secret,
    widgetToken: env.POSTHOG_WIDGET_TOKEN || undefined,
    origin: values.origin as string | undefined,
    email: values.email as string | undefined,
    personalApiKey: env.POSTHOG_PERSONAL_API_KEY || undefined,
    projectId: env.POSTHOG_PROJECT_ID || undefined,
  });
  if (values.json) io.out(JSON.stringify(diagnosis));
  else {
    for (const check of diagnosis.checks) {
      io.out(`${check.skipped ? '-' : check.ok ? '✓' : '✗'} ${check.id}: ${check.message}`);
      if (check.fix !== undefined && !check.ok) io.out(`    fix: ${check.fix}`);
    }
    if (secret === undefined) io.out('- secret: not checked (set POSTHOG_SECRET_API_TOKEN or pass --secret-stdin)');
  }
  return diagnosis.ok ? EXIT.ok : EXIT.invalid;
}

/** A start-up failure of the emulator in one line that says what to do. */
function listenProblem(error: unknown, port: number, host: string): UsageError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE')
    return new UsageError(`port ${port} is already in use on ${host}: pick another with --port, or --port 0 for a free one`);
  if (code === 'EACCES')
    return new UsageError(`port ${port} needs privileges on ${host}: use a port above 1023, or --port 0 for a free one`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAFNOSUPPORT') {
    return new UsageError(`--host ${host} is not an address of this machine: use 127.0.0.1 (the default), ::1 or 0.0.0.0`);
  }
  return undefined;
}

/** Serves the local Conversations API until SIGINT or SIGTERM. */
async function runEmulator(options: { port: number; host: string; throttles: boolean; webhookUrls: string[] }, io: Io): Promise<void> {
  const { port, host, throttles, webhookUrls } = options;
  const { startEmulator, EMULATOR_DEFAULTS: d } = await import('../testing/emulator/index.js');
  const webhookSecret = io.env.POSTHOG_WEBHOOK_SECRET || d.webhookSecret;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    // The widget on, as after enabling it in PostHog's Support settings: `doctor` passes with the printed values.
    emulator = await startEmulator({
      port,
      host,
      throttles,
      teams: [{ settings: { widget_enabled: true } }],
      webhooks: webhookUrls.map((url) => ({ url, secret: webhookSecret })),
    });
  } catch (error) {
    throw listenProblem(error, port, host) ?? error;
  }
  io.out(`PostHog Conversations emulator listening on ${emulator.url}`);
  io.out('Point the examples and docs at it with these (the keys are made up, for this emulator only):');
  io.out(`  export POSTHOG_HOST=${emulator.url}`);
  io.out(`  export POSTHOG_WIDGET_TOKEN=${d.publicToken}`);
  io.out(`  export POSTHOG_SECRET_API_TOKEN=${d.secretApiToken}`);
  io.out(`  export POSTHOG_PERSONAL_API_KEY=${d.personalApiKey}`);
  io.out(`  export POSTHOG_PROJECT_ID=${d.projectId}`);
  io.out(`  export POSTHOG_PROJECT_API_KEY=${d.projectApiKey}`);
  if (webhookSecret === d.webhookSecret) io.out(`  export POSTHOG_WEBHOOK_SECRET=${d.webhookSecret}`);
  for (const url of webhookUrls) io.out(`Delivering ticket events to ${url}`);
  io.out('With these set, `posthog-conversations doctor` checks the setup against it (all ✓).');
  io.out('Stop it with Ctrl-C.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
}

/** Runs the CLI and returns its exit code; errors are printed, never thrown. */
async function main(io: Io): Promise<number> {
  try {
    return await run(io);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.err(`error: ${error.message}`);
      return EXIT.configuration;
    }
    if (error instanceof UsageError || error instanceof PostHogConversationsError || isParseArgsError(error)) {
      io.err(`error: ${(error as Error).message}\n\nRun posthog-conversations --help for usage.`);
      return EXIT.usage;
    }
    // Anything else is a bug of ours: still one line, not a stack trace, but a different exit code.
    io.err(`error: ${(error as Error)?.message ?? String(error)} (unexpected; please report it)`);
    return 70;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code: unknown = (error as { code?: unknown } | null)?.code;
  return error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  readStdin: () => readAll(process.stdin),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
