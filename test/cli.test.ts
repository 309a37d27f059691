import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeIdentityHash, createClient, signEmailClaim } from '../src/index.js';
import { SECRET } from './fixtures.js';
import { ROOT } from './package/run-node.js';

const CLI = join(ROOT, 'dist/cli.js');

function cli(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    input: options.stdin ?? '',
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
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
    const result = cli(['hash', 'user_123', '--email', 'Ada@Example.com', '--ttl', '600', '--json'], { env });
    expect(result.code).toBe(0);
    const fields = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(fields).toMatchObject({ identity_distinct_id: 'user_123', identity_hash: HASH, identity_email: 'ada@example.com' });
    const exp = fields.identity_exp_email as number;
    expect(exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(590);
    const expected = signEmailClaim({ distinctId: 'user_123', email: 'ada@example.com', secret: SECRET, emailTtlSeconds: 600, now: (exp - 600) * 1000 });
    expect(fields.identity_hash_email).toBe(expected.identity_hash_email);
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
    for (const args of [['hash', 'user_123', '--secret', SECRET], ['hash', 'user_123', `--secret=${SECRET}`]]) {
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
    expect(cli(['hash', 'user_123'], { env: { POSTHOG_SECRET_API_TOKEN: 'phc_public' } })).toMatchObject({ code: 3, stderr: expect.stringMatching(/phc_/) });
    expect(cli(['hash', 'user_123', '--secret-stdin'])).toMatchObject({ code: 3, stderr: expect.stringMatching(/standard input was empty/) });
  });

  it('exits 2 with usage for bad input: no command, unknown command, wrong arity, unknown flag, bad id, bad --ttl', () => {
    for (const args of [[], ['sign', 'x'], ['hash'], ['hash', 'a', 'b'], ['verify', 'a'], ['hash', 'a', '--nope'], ['hash', ' padded '], ['hash', 'a', '--email', 'a@b.co', '--ttl', '1h']]) {
      const result = cli(args, { env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout + result.stderr).toMatch(/Usage:/);
    }
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
      while (!/projectApiKey/.test(output)) output += String((await once(child.stdout, 'data'))[0]);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
      const token = /publicToken\s+(\S+)/.exec(output)![1]!;
      const client = createClient({ host: url, publicToken: token });
      await expect(client.widget.listTickets({ widgetSessionId: crypto.randomUUID() })).resolves.toEqual({ count: 0, results: [] });
      await client.close();
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('refuses a bad port with usage', () => {
    expect(cli(['emulator', '--port', 'eighty'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--port/) });
  });
});
