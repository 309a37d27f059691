// `posthog-conversations trigger`: the built CLI posts a signed delivery to a real receiver (an
// Express app with the SDK's receiver, on a real port) and says how it answered.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { posthogWebhook } from '../../adapters/express/index.js';
import { EMULATOR_DEFAULTS as D } from '../../src/testing/index.js';
import { memoryIdempotencyStore, type WebhookDelivery } from '../../src/webhooks/index.js';
import { ROOT } from '../package/run-node.js';
import { serve, type Served } from '../helpers/servers.js';

const CLI = join(ROOT, 'dist/cli.js');
const SECRET = D.webhookSecret;

function cli(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...options.env } },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
    child.stdin!.end(options.stdin ?? '');
  });
}

const handled: WebhookDelivery[] = [];
let app: Served;
beforeAll(async () => {
  const a = express();
  a.post(
    '/webhooks/posthog',
    posthogWebhook({ secret: SECRET, idempotency: { store: memoryIdempotencyStore() }, onDelivery: (d) => void handled.push(d) }),
  );
  // A receiver that echoes what it got, secret included if it had one (a badly written one).
  a.post('/echo', express.text({ type: '*/*' }), (req, res) =>
    res.status(500).send(`got ${req.headers['webhook-signature']} with ${SECRET}`),
  );
  app = await serve(a);
});
afterAll(() => app?.close());

const env = { POSTHOG_WEBHOOK_SECRET: SECRET };

describe('posthog-conversations trigger', () => {
  it('posts the event signed as PostHog does; the receiver verifies and handles it (exit 0)', async () => {
    const result = await cli(
      ['trigger', 'ticket_created', '--url', `${app.url}/webhooks/posthog`, '--properties', '{"ticket_number": 7}'],
      { env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^\$conversation_ticket_created to http:\/\/127\.0\.0\.1:\d+\/webhooks\/posthog \(webhook-id msg_[0-9a-f]{32}\)\n {2}attempt 1: 204 in \d+ ms\n$/,
    );
    const delivery = handled.at(-1)!;
    expect(delivery.event?.event).toBe('$conversation_ticket_created');
    expect(delivery.event?.properties.ticket_number).toBe(7);
  });

  it('--times 2 re-sends the same webhook-id, re-signed: handled once, both answered 204', async () => {
    const before = handled.length;
    const result = await cli(
      ['trigger', '$conversation_message_received', '--url', `${app.url}/webhooks/posthog`, '--times', '2', '--json'],
      { env },
    );
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ ok: true, event: '$conversation_message_received', id: expect.stringMatching(/^msg_/) });
    expect(out.attempts.map((a: { status: number }) => a.status)).toEqual([204, 204]);
    expect(handled.length - before).toBe(1);
  });

  it('reads the secret from standard input with --secret-stdin', async () => {
    const result = await cli(['trigger', 'ticket_assigned', '--url', `${app.url}/webhooks/posthog`, '--secret-stdin'], {
      stdin: `${SECRET}\n`,
    });
    expect(result.code).toBe(0);
  });

  it('a receiver with another secret answers 400: exit 1, its answer printed', async () => {
    const other = `whsec_${Buffer.from('another-receivers-key-0123456789').toString('base64')}`;
    const result = await cli(['trigger', 'ticket_created', '--url', `${app.url}/webhooks/posthog`], {
      env: { POSTHOG_WEBHOOK_SECRET: other },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /attempt 1: 400: \{"error":"no v1 signature in webhook-signature matches the secret.*","code":"ERR_WEBHOOK_BAD_SIGNATURE"\}/,
    );
  });

  it('masks the secret when a receiver echoes it back', async () => {
    const result = await cli(['trigger', 'ticket_created', '--url', `${app.url}/echo`], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('with whsec_***');
    expect(result.stdout).not.toContain(SECRET);
  });

  it('says so when nothing listens (exit 1)', async () => {
    const closed = await serve(() => {});
    await closed.close();
    const result = await cli(['trigger', 'ticket_created', '--url', closed.url], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('attempt 1: no answer (ECONNREFUSED)');
  });

  it.each([
    [['trigger', 'ticket_create', '--url', 'http://127.0.0.1:1/'], 2, /did you mean '\$conversation_ticket_created'/],
    [['trigger', 'ticket_created'], 3, /trigger needs --url <receiver>/],
    [['trigger', 'ticket_created', '--url', 'ftp://x'], 3, /--url must be http or https/],
    [['trigger', 'ticket_created', '--url', 'http://u:p@127.0.0.1/'], 3, /must not carry credentials/],
    [['trigger', 'ticket_created', '--url', 'http://127.0.0.1:1/', '--properties', '{'], 2, /--properties must be a JSON object/],
    [['trigger', 'ticket_created', '--url', 'http://127.0.0.1:1/', '--times', '0'], 2, /--times must be a whole number from 1 to 100/],
    [['trigger', 'ticket_created', '--url', 'http://127.0.0.1:1/', '--secret', SECRET], 2, /Never pass the secret as an argument/],
    [['trigger', 'ticket_created', '--uri', 'http://127.0.0.1:1/'], 2, /did you mean --url/],
  ])('%j exits %i', async (args, code, message) => {
    const result = await cli(args, { env });
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain(SECRET);
  });

  it('without a secret says where it comes from (exit 3)', async () => {
    const result = await cli(['trigger', 'ticket_created', '--url', `${app.url}/webhooks/posthog`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Set POSTHOG_WEBHOOK_SECRET/);
  });
});
