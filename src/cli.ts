#!/usr/bin/env node
/**
 * `posthog-conversations hash|verify`: sign or check an identity from a shell. The secret comes
 * from POSTHOG_SECRET_API_TOKEN or standard input, never from argv, which `ps` and shell history show.
 */
import { parseArgs } from 'node:util';
import { ConfigurationError, PosthogConversationsError } from './errors.js';
import { IdentitySigner } from './identity/signer.js';

const USAGE = `Usage:
  posthog-conversations hash <distinctId> [--email <email>] [--ttl <seconds>] [--json] [--secret-stdin]
  posthog-conversations verify <distinctId> <hash> [--email <email> --email-hash <hash> --exp <unix>] [--json] [--secret-stdin]
  posthog-conversations emulator [--port <port>] [--host <address>] [--no-throttles]

The secret is read from POSTHOG_SECRET_API_TOKEN (verify also tries POSTHOG_SECRET_API_TOKEN_BACKUP),
or with --secret-stdin from standard input: the first line is the current secret, later lines previous ones.

Exit codes: 0 done (verify: valid), 1 verify: invalid, 2 bad usage or input, 3 secret missing or malformed.`;

const EXIT = { ok: 0, invalid: 1, usage: 2, configuration: 3 } as const;

interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  readStdin: () => Promise<string>;
  out: (line: string) => void;
  err: (line: string) => void;
}

const OPTIONS = {
  email: { type: 'string' },
  'email-hash': { type: 'string' },
  exp: { type: 'string' },
  ttl: { type: 'string' },
  json: { type: 'boolean', default: false },
  'secret-stdin': { type: 'boolean', default: false },
  port: { type: 'string' },
  host: { type: 'string' },
  'no-throttles': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

class UsageError extends Error {}

async function readSecrets(useStdin: boolean, io: Io): Promise<string[]> {
  if (useStdin) {
    // A pipe adds one line ending per line; anything else stays and is judged by the signer.
    const lines = (await io.readStdin()).split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    if (lines.length === 0) throw new ConfigurationError('--secret-stdin was given but standard input was empty.');
    return lines;
  }
  const current = io.env.POSTHOG_SECRET_API_TOKEN;
  if (current === undefined || current === '') {
    throw new ConfigurationError('Set POSTHOG_SECRET_API_TOKEN (your Secret API key, phs_...) or pass --secret-stdin.');
  }
  const backup = io.env.POSTHOG_SECRET_API_TOKEN_BACKUP;
  return backup ? [current, backup] : [current];
}

function toInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number`);
  return Number(value);
}

async function run(io: Io): Promise<number> {
  if (io.argv.some((arg) => arg === '--secret' || arg.startsWith('--secret='))) {
    throw new UsageError(
      'Never pass the secret as an argument: ps and shell history show it. Use POSTHOG_SECRET_API_TOKEN or --secret-stdin.',
    );
  }
  const { values, positionals } = parseArgs({ args: io.argv, options: OPTIONS, allowPositionals: true });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    io.out(USAGE);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  if (command === 'hash') {
    if (rest.length !== 1) throw new UsageError('hash takes exactly one <distinctId>');
    const [current] = await readSecrets(values['secret-stdin'], io);
    const signer = new IdentitySigner({ secret: current! });
    const ttl = toInteger(values.ttl, '--ttl');
    const fields = signer.identityFor(rest[0]!, { email: values.email, emailTtlSeconds: ttl });
    if (values.json) io.out(JSON.stringify(fields));
    else if (values.email === undefined) io.out(fields.identity_hash);
    else for (const [key, value] of Object.entries(fields)) io.out(`${key}=${value}`);
    return EXIT.ok;
  }
  if (command === 'verify') {
    if (rest.length !== 2) throw new UsageError('verify takes <distinctId> <hash>');
    const [secret, ...previousSecrets] = await readSecrets(values['secret-stdin'], io);
    const signer = new IdentitySigner({ secret: secret!, previousSecrets });
    let valid = signer.verify(rest[0]!, rest[1]!);
    if (values.email !== undefined) {
      if (values['email-hash'] === undefined || values.exp === undefined) {
        throw new UsageError('verifying an email claim needs --email, --email-hash and --exp');
      }
      const claim = { distinctId: rest[0], email: values.email, hash: values['email-hash'], exp: values.exp };
      valid = valid && signer.verifyEmailClaim(claim);
    }
    io.out(values.json ? JSON.stringify({ valid }) : valid ? 'valid' : 'invalid');
    return valid ? EXIT.ok : EXIT.invalid;
  }
  if (command === 'emulator') {
    if (rest.length !== 0) throw new UsageError('emulator takes no arguments');
    await runEmulator(toInteger(values.port, '--port') ?? 8010, values.host ?? '127.0.0.1', !values['no-throttles'], io);
    return EXIT.ok;
  }
  throw new UsageError(`unknown command '${command}'`);
}

/** Serves the local Conversations API until SIGINT or SIGTERM. */
async function runEmulator(port: number, host: string, throttles: boolean, io: Io): Promise<void> {
  const { startEmulator, EMULATOR_DEFAULTS: d } = await import('./testing/emulator/index.js');
  const emulator = await startEmulator({ port, host, throttles });
  io.out(`PostHog Conversations emulator listening on ${emulator.url}`);
  io.out(`  host               ${emulator.url}`);
  io.out(`  publicToken        ${d.publicToken}`);
  io.out(`  secretApiToken     ${d.secretApiToken}   (made up: for this emulator only)`);
  io.out(`  personalApiKey     ${d.personalApiKey}`);
  io.out(`  projectId          ${d.projectId}`);
  io.out(`  projectApiKey      ${d.projectApiKey}`);
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
    if (error instanceof UsageError || error instanceof PosthogConversationsError || isParseArgsError(error)) {
      io.err(`error: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    throw error;
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
