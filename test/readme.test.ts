import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EdgeRuntime } from 'edge-runtime';
import { describe, expect, it } from 'vitest';
import { computeIdentityHash } from '../src/index.js';
import { bundleForEdge } from './package/edge-bundle.js';
import { ROOT } from './package/run-node.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DEMO_SECRET = 'phs_demo_secret_for_local_use_only';

describe('README quickstarts (each block is its file: test/docs/docs.test.ts)', () => {
  it('the Node quickstart runs as written and prints a verifiable identity', () => {
    const out = execFileSync(process.execPath, ['--env-file=examples/quickstart/demo.env', 'examples/quickstart/node.mjs'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out).toContain(`identity_hash: '${computeIdentityHash('user_123', DEMO_SECRET)}'`);
    expect(out).toMatch(
      /<script>posthog\.init\("phc_your_project_key",\{"api_host":"https:\/\/us\.i\.posthog\.com","identity_distinct_id":"user_123"/,
    );
    expect(out.trim().endsWith('true')).toBe(true);
    expect(out).not.toContain(DEMO_SECRET);
  });

  it('the API quickstart runs against the emulator with the variables it documents', async () => {
    const { startEmulator, EMULATOR_DEFAULTS: d } = await import('../src/testing/index.js');
    const emulator = await startEmulator();
    try {
      const env = {
        PATH: process.env.PATH ?? '',
        POSTHOG_HOST: emulator.url,
        POSTHOG_WIDGET_TOKEN: d.publicToken,
        POSTHOG_PERSONAL_API_KEY: d.personalApiKey,
        POSTHOG_PROJECT_ID: String(d.projectId),
        POSTHOG_SECRET_API_TOKEN: d.secretApiToken,
      };
      const { execFile } = await import('node:child_process');
      const out = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['examples/quickstart/api.mjs'], { cwd: ROOT, env, encoding: 'utf8' }, (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        ),
      );
      expect(out).toBe('You: Hello from the SDK!\nAgent 1: Hi! How can we help?\n');
      expect(emulator.state.tickets[0]).toMatchObject({
        distinct_id: 'user_123',
        identity_verified: true,
        status: 'open',
        sla_due_at: expect.any(Date),
      });
    } finally {
      await emulator.close();
    }
  });

  it('the edge quickstart runs in an edge-runtime sandbox: 200 with the identity for a session, 401 without', async () => {
    const runtime = new EdgeRuntime({ initialCode: await bundleForEdge(join(ROOT, 'examples/quickstart/edge.mjs'), 'Example') });
    const call = async (cookie: string) => {
      const response = (await runtime.evaluate(
        `Example.default.fetch(new Request('https://app.example/identity', { headers: { cookie: ${JSON.stringify(cookie)} } }), { POSTHOG_SECRET_API_TOKEN: ${JSON.stringify(DEMO_SECRET)} })`,
      )) as Response;
      return { status: response.status, cache: response.headers.get('cache-control'), body: (await response.json()) as unknown };
    };
    expect(await call('session=demo-session')).toEqual({
      status: 200,
      cache: 'no-store',
      body: { identity_distinct_id: 'user_123', identity_hash: computeIdentityHash('user_123', DEMO_SECRET) },
    });
    expect((await call('session=forged')).status).toBe(401);
  });
});

describe('README images', () => {
  it('every image the README shows is in the repository', () => {
    const images = [...README.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map(([, path]) => path!);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(existsSync(join(ROOT, image)), image).toBe(true);
  });
});

describe('the error table (docs/errors.md)', () => {
  it('lists every error code with its class, from the one table of codes', async () => {
    const { ERROR_CODES } = await import('../src/index.js');
    const rows = new Map(
      [...readFileSync(join(ROOT, 'docs/errors.md'), 'utf8').matchAll(/^\| `(ERR_[A-Z_]+)` \| `(\w+)`/gm)].map(([, code, name]) => [
        code!,
        name!,
      ]),
    );
    const table = Object.entries(ERROR_CODES).flatMap(([name, codes]) =>
      (typeof codes === 'string' ? [codes] : codes).map((code) => [code, name]),
    );
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(table));
  });

  it('each class carries its code and its name', async () => {
    const lib = await import('../src/index.js');
    const init = { status: 400, method: 'GET', path: '/x', body: undefined };
    const instances = [
      new lib.ConfigurationError('m'),
      new lib.ValidationError('f', 'm'),
      new lib.ApiError(init),
      new lib.BadRequestError(init),
      new lib.AuthenticationError(init),
      new lib.PermissionError(init),
      new lib.NotFoundError(init),
      new lib.PayloadTooLargeError(init),
      new lib.RateLimitedError(init),
      new lib.ServerError(init),
      new lib.InvalidResponseError('m', init),
      new lib.ResponseTooLargeError('m', 1),
      new lib.TimeoutError('m'),
      new lib.ConnectionError('m'),
      new lib.AbortedError('m'),
      new lib.IdempotencyStoreError('claim', 'm'),
    ];
    const { WebhookVerificationError: webhookCodes, ...oneCodeEach } = lib.ERROR_CODES;
    expect(Object.fromEntries(instances.map((e) => [e.name, e.code]))).toEqual(oneCodeEach);
    for (const code of webhookCodes)
      expect(new lib.WebhookVerificationError(code, 'm')).toMatchObject({ name: 'WebhookVerificationError', code });
  });
});
