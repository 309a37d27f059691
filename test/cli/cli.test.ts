import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeIdentityHash, createClient, signEmailClaim } from '../../src/index.js';
import { SECRET } from '../fixtures.js';
import { startCliEmulator } from '../helpers/cli-emulator.js';
import { ROOT } from '../package/run-node.js';

const CLI = join(ROOT, 'dist/cli.js');

function cli(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    input: options.stdin ?? '',
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI without blocking the event loop (for tests that serve something meanwhile). */
function cliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '' } }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

const env = { POSTHOG_SECRET_API_TOKEN: SECRET };
const HASH = computeIdentityHash('user_123', SECRET);

describe('posthog-conversations CLI', () => {
  it('hash prints the identity hash, with the secret from the environment', () => {
    expect(cli(['hash', 'user_123'], { env })).toEqual({ code: 0, stdout: `${HASH}\n`, stderr: '' });
  });

  it('hash --secret-stdin reads the secret from standard input (one trailing newline is a line ending)', () => {
    expect(cli(['hash', 'user_123', '--secret-stdin'], { stdin: `${SECRET}\n` })).toMatchObject({ code: 0, stdout: `${HASH}\n` });
  });

  it('hash --json --email prints the fields for posthog.init, with a signed claim', () => {
    const result = cli(['hash', 'user_123', '--email', 'Ada@Example.com', '--email-ttl-seconds', '600', '--json'], { env });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const fields = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(fields).toMatchObject({ identity_distinct_id: 'user_123', identity_hash: HASH, identity_email: 'ada@example.com' });
    const exp = fields.identity_exp_email as number;
    expect(exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(590);
    const expected = signEmailClaim({
      distinctId: 'user_123',
      email: 'ada@example.com',
      secret: SECRET,
      emailTtlSeconds: 600,
      now: (exp - 600) * 1000,
    });
    expect(fields.identity_hash_email).toBe(expected.identity_hash_email);
  });

  it('hash still takes --ttl, the old name of --email-ttl-seconds, and says so on stderr; never both', () => {
    const result = cli(['hash', 'user_123', '--email', 'ada@example.com', '--ttl', '600', '--json'], { env });
    expect(result).toMatchObject({ code: 0, stderr: expect.stringMatching(/--ttl is now --email-ttl-seconds/) });
    const fields = JSON.parse(result.stdout) as { identity_exp_email: number };
    expect(fields.identity_exp_email - Math.floor(Date.now() / 1000)).toBeGreaterThan(590);
    expect(cli(['hash', 'u', '--email', 'a@b.co', '--ttl', '60', '--email-ttl-seconds', '60'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/give --email-ttl-seconds only/),
    });
  });

  it('verify exits 0 for a valid hash and 1 for a wrong one, in text and JSON', () => {
    expect(cli(['verify', 'user_123', HASH], { env })).toMatchObject({ code: 0, stdout: 'valid\n' });
    expect(cli(['verify', 'user_124', HASH], { env })).toMatchObject({ code: 1, stdout: 'invalid\n' });
    expect(cli(['verify', 'user_123', HASH.toUpperCase(), '--json'], { env })).toMatchObject({ code: 1, stdout: '{"valid":false}\n' });
  });

  it('verify accepts a hash made with the backup secret (after a rotation)', () => {
    const old = computeIdentityHash('user_123', 'phs_old_secret');
    expect(cli(['verify', 'user_123', old], { env: { ...env, POSTHOG_SECRET_API_TOKEN_BACKUP: 'phs_old_secret' } }).code).toBe(0);
    expect(cli(['verify', 'user_123', old], { stdin: `${SECRET}\nphs_old_secret\n`, env }).code).toBe(1); // stdin is read only with --secret-stdin
    expect(cli(['verify', 'user_123', old, '--secret-stdin'], { stdin: `${SECRET}\nphs_old_secret\n` }).code).toBe(0);
  });

  it('verify checks an email claim with --email, --email-hash and --exp', () => {
    const claim = signEmailClaim({ distinctId: 'user_123', email: 'a@b.co', secret: SECRET });
    const args = ['verify', 'user_123', HASH, '--email', 'a@b.co', '--email-hash', claim.identity_hash_email];
    expect(cli([...args, '--exp', String(claim.identity_exp_email)], { env }).code).toBe(0);
    expect(cli([...args, '--exp', String(claim.identity_exp_email + 1)], { env }).code).toBe(1);
    expect(cli(args, { env })).toMatchObject({ code: 2, stderr: expect.stringMatching(/--email, --email-hash and --exp/) });
  });

  it('refuses a secret on the command line, without echoing it', () => {
    for (const args of [
      ['hash', 'user_123', '--secret', SECRET],
      ['hash', 'user_123', `--secret=${SECRET}`],
    ]) {
      const result = cli(args, { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Never pass the secret as an argument/);
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    }
  });

  it('exits 3 when the secret is missing or malformed, and never prints it', () => {
    expect(cli(['hash', 'user_123'])).toMatchObject({ code: 3, stderr: expect.stringMatching(/Set POSTHOG_SECRET_API_TOKEN/) });
    const padded = cli(['hash', 'user_123'], { env: { POSTHOG_SECRET_API_TOKEN: `${SECRET} ` } });
    expect(padded).toMatchObject({ code: 3, stderr: expect.stringMatching(/whitespace/) });
    expect(padded.stderr).not.toContain(SECRET);
    expect(cli(['hash', 'user_123'], { env: { POSTHOG_SECRET_API_TOKEN: 'phc_public' } })).toMatchObject({
      code: 3,
      stderr: expect.stringMatching(/phc_/),
    });
    expect(cli(['hash', 'user_123', '--secret-stdin'])).toMatchObject({
      code: 3,
      stderr: expect.stringMatching(/standard input was empty/),
    });
  });

  it('exits 2 with one line and a pointer to --help for bad input: no command, unknown command, wrong arity, unknown flag, bad id, bad lifetime', () => {
    for (const args of [
      [],
      ['sign', 'x'],
      ['hash'],
      ['hash', 'a', 'b'],
      ['verify', 'a'],
      ['hash', 'a', '--nope'],
      ['hash', ' padded '],
      ['hash', 'a', '--email', 'a@b.co', '--email-ttl-seconds', '1h'],
      ['hash', 'a', '--email-ttl-seconds', '60'],
    ]) {
      const result = cli(args, { env });
      expect(result.code, args.join(' ')).toBe(2);
      if (args.length === 0) expect(result.stdout).toMatch(/^Usage:/);
      else expect(result.stderr, args.join(' ')).toMatch(/^error: [^\n]+\n\nRun posthog-conversations --help for usage\.\n$/);
    }
  });

  describe('verify --explain', () => {
    const signWith = (key: string, id: string) => createHmac('sha256', key).update(id).digest('hex');
    const explain = (id: string, hash: string, extraEnv: Record<string, string> = {}) =>
      cli(['verify', id, hash, '--explain'], { env: { ...env, ...extraEnv } });

    it.each([
      ['an uppercase hash', 'user_123', () => HASH.toUpperCase(), /cause: the hash is uppercase hex/],
      [
        'a trailing newline on the id',
        'user_123',
        () => signWith(SECRET, 'user_123\n'),
        /cause: the hash was signed for the id with a trailing newline/,
      ],
      [
        'the id as a JSON string',
        'user_123',
        () => signWith(SECRET, '"user_123"'),
        /cause: the hash was signed for the id as a JSON string/,
      ],
      ['another Unicode form', 'caf\u00e9', () => signWith(SECRET, 'cafe\u0301'), /cause: the hash was signed for the NFD form of the id/],
      ['another case', 'User_123', () => signWith(SECRET, 'user_123'), /cause: the hash was signed for the id in lowercase/],
      [
        'a padded secret',
        'user_123',
        () => signWith(`${SECRET}\n`, 'user_123'),
        /cause: the hash was signed with the secret with a trailing newline/,
      ],
      ['a short hash', 'user_123', () => 'abc', /cause: the hash is not 64 hex characters/],
    ])('names %s, exit 1', (_, id, hash, cause) => {
      const result = explain(id, hash());
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^invalid\n/);
      expect(result.stdout).toMatch(cause);
      expect(result.stdout).not.toContain(SECRET);
    });

    it('names the project or personal key when the hash was made with one, without printing it', () => {
      const projectKey = 'phc_ZZZ_project_key_value';
      const result = explain('user_123', signWith(projectKey, 'user_123'), { POSTHOG_PROJECT_API_KEY: projectKey });
      expect(result.stdout).toMatch(/cause: the hash was signed with the project API key \(phc_\.\.\., public: never sign with it\)/);
      expect(result.stdout).not.toContain('ZZZ');
    });

    it('explains an email claim that does not verify: expired, too far ahead, or for another id', () => {
      const now = Math.floor(Date.now() / 1000);
      const claim = (distinctId: string, exp: number) =>
        signEmailClaim({ distinctId, email: 'ada@example.com', secret: SECRET, emailTtlSeconds: 3600, now: (exp - 3600) * 1000 });
      const run = (distinctId: string, exp: number) => {
        const c = claim(distinctId, exp);
        return cli(
          [
            'verify',
            'user_123',
            HASH,
            '--email',
            'ada@example.com',
            '--email-hash',
            c.identity_hash_email,
            '--exp',
            String(exp),
            '--explain',
          ],
          { env },
        );
      };
      expect(run('user_123', now - 60).stdout).toMatch(/cause: the claim expired \d+ s ago/);
      expect(run('user_123', now + 90_000).stdout).toMatch(/more than 24 h \(\+5 min\) ahead/);
      expect(run('someone_else', now + 600).stdout).toMatch(/cause: the claim does not match this distinct id .*signed for another id/);
      expect(run('user_123', now + 600)).toMatchObject({ code: 0, stdout: 'valid\n' });
    });

    it('says when no usual cause fits, and --json gives { valid, causes }', () => {
      const other = signWith('phs_another_projects_secret', 'user_123');
      expect(explain('user_123', other).stdout).toMatch(/cause: none of the usual causes fits/);
      const json = JSON.parse(cli(['verify', 'user_123', HASH.toUpperCase(), '--explain', '--json'], { env }).stdout) as {
        valid: boolean;
        causes: string[];
      };
      expect(json).toMatchObject({ valid: false, causes: [expect.stringMatching(/uppercase/)] });
      expect(cli(['verify', 'user_123', HASH, '--explain'], { env })).toMatchObject({ code: 0, stdout: 'valid\n' });
    });
  });

  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(cli(['-v']).stdout).toBe(`${version}\n`);
  });

  it.each([
    [['hash', 'u', '--port', '9'], /^error: unknown option --port for hash \(options: /],
    [['hash', 'u', '--emial', 'a@b.co'], /^error: unknown option --emial for hash; did you mean --email\?/],
    [['verify', 'u', 'h', '--ttl', '60'], /^error: unknown option --ttl for verify/],
    [['emulator', '--json'], /^error: unknown option --json for emulator/],
    [['hsah', 'u'], /^error: unknown command 'hsah'; did you mean 'hash'\? \(commands: hash, verify, doctor, trigger, emulator\)/],
    [['emualtor'], /^error: unknown command 'emualtor'; did you mean 'emulator'\?/],
    [['sign', 'x'], /^error: unknown command 'sign' \(commands: /],
  ])('refuses %j with exit 2: options are per command', (args, message) => {
    const result = cli(args, { env });
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(message) });
  });

  it('--help prints usage and exits 0', () => {
    expect(cli(['--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage:/) });
  });
});

describe('posthog-conversations emulator', () => {
  it('serves the API on the given port, prints the credentials, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      while (!/Ctrl-C/.test(output)) output += String((await once(child.stdout, 'data'))[0]);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
      // The environment variable names the README's examples read.
      expect(output).toContain(`export POSTHOG_HOST=${url}\n`);
      for (const name of [
        'POSTHOG_WIDGET_TOKEN',
        'POSTHOG_SECRET_API_TOKEN',
        'POSTHOG_PERSONAL_API_KEY',
        'POSTHOG_PROJECT_ID',
        'POSTHOG_PROJECT_API_KEY',
        'POSTHOG_WEBHOOK_SECRET',
      ])
        expect(output).toMatch(new RegExp(`export ${name}=\\S+`));
      const token = /POSTHOG_WIDGET_TOKEN=(\S+)/.exec(output)![1]!;
      const client = createClient({ host: url, publicToken: token });
      await expect(client.widget.listTickets({ widgetSessionId: crypto.randomUUID() })).resolves.toEqual({ count: 0, results: [] });
      await client.close();
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('starts a team that `doctor` passes with the settings it printed', async () => {
    const emulator = await startCliEmulator();
    try {
      const printed = emulator.settings;
      const doctor = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const run = execFile(
          process.execPath,
          [CLI, 'doctor', '--origin', 'http://localhost:3000'],
          { env: { PATH: process.env.PATH ?? '', ...printed } },
          (_e, stdout) => resolve({ code: run.exitCode, stdout }),
        );
      });
      expect(doctor.stdout).not.toContain('✗');
      for (const id of ['widget', 'public-token', 'origin', 'secret-verifies', 'personal-key-scopes'])
        expect(doctor.stdout).toMatch(new RegExp(`^✓ ${id}: `, 'm'));
      expect(doctor.code).toBe(0);
    } finally {
      await emulator.stop();
    }
  });

  it.each([
    ['a port that is not a number', ['--port', 'eighty'], /^error: --port must be a whole number\n/],
    ['a port out of range', ['--port', '70000'], /^error: --port must be a whole number from 0 to 65535\n/],
    ['a webhook url that is not http(s)', ['--webhook-url', 'ftp://example.com/hook'], /^error: --webhook-url must be an http\(s\) URL/],
    [
      'a host that is not an address here',
      ['--host', '203.0.113.7', '--port', '0'],
      /^error: --host 203\.0\.113\.7 is not an address of this machine/,
    ],
  ])('refuses %s in one line with exit 2, never a stack trace', (_, args, message) => {
    const result = cli(['emulator', ...args]);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('delivers signed ticket events to --webhook-url', async () => {
    const received: Array<Record<string, unknown>> = [];
    const receiver = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ id: req.headers['webhook-id'], signature: req.headers['webhook-signature'], body: JSON.parse(body) });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--webhook-url', hook], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      while (!/Ctrl-C/.test(output)) output += String((await once(child.stdout, 'data'))[0]);
      expect(output).toContain(`Delivering ticket events to ${hook}`);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
      const client = createClient({ host: url, publicToken: /POSTHOG_WIDGET_TOKEN=(\S+)/.exec(output)![1]! });
      await client.widget.sendMessage({ widgetSessionId: crypto.randomUUID(), distinctId: 'cli_user', message: 'hi' });
      await client.close();
      for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received.map((r) => (r.body as { event: { event: string } }).event.event).sort()).toEqual([
        '$conversation_message_received',
        '$conversation_ticket_created',
      ]);
      expect(received[0]!.signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    } finally {
      child.kill('SIGTERM');
      receiver.close();
    }
  });

  it('says so in one line when the port is in use', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await cliAsync(['emulator', '--port', String(port)]);
      expect(result).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(new RegExp(`^error: port ${port} is already in use on 127\\.0\\.0\\.1: pick another with --port`)),
      });
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      server.close();
    }
  });
});
