import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EdgeRuntime } from 'edge-runtime';
import { Webhook } from 'standardwebhooks';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { IdentitySigner, computeIdentityHash } from '../../src/identity/index.js';
import { isPythonWhitespace } from '../../src/identity/rules.js';
import { EMULATOR_DEFAULTS as D, startEmulator } from '../../src/testing/index.js';
import { emailClaimVectors, identityVectors } from '../fixtures.js';
import { bundleForEdge } from './edge-bundle.js';
import { ROOT } from './run-node.js';

const EDGE_DIR = join(ROOT, 'dist/edge');

const accepted = identityVectors.filter(
  (c) => c.distinct_id.trim() === c.distinct_id && c.distinct_id !== '' && !c.distinct_id.startsWith('\u2028'),
);
const randomCases = fc.sample(
  fc.tuple(
    fc
      .string({ unit: 'binary', minLength: 1, maxLength: 100 })
      .filter((s) => !s.includes('\0') && !isPythonWhitespace(s.charCodeAt(0)) && !isPythonWhitespace(s.charCodeAt(s.length - 1))),
    fc
      .string({ unit: 'binary', minLength: 1, maxLength: 80 })
      .filter((s) => !isPythonWhitespace(s.charCodeAt(0)) && !isPythonWhitespace(s.charCodeAt(s.length - 1)) && !/^ph[cx]_/.test(s)),
  ),
  500,
);

describe('edge build', () => {
  it('has no node: import or Node built-in require in any file', () => {
    for (const file of readdirSync(EDGE_DIR).filter((f) => /\.c?js$/.test(f))) {
      const code = readFileSync(join(EDGE_DIR, file), 'utf8');
      expect(code, file).not.toMatch(
        /from\s*["'](node:)?(crypto|util|buffer|fs)["']|require\(["'](node:)?(crypto|util|buffer)["']\)|["']node:/,
      );
    }
  });

  for (const entry of ['identity.js', 'identity.cjs', 'index.js']) {
    describe(`${entry} inside the edge-runtime sandbox`, () => {
      let runtime: EdgeRuntime;
      beforeAll(async () => {
        runtime = new EdgeRuntime({ initialCode: await bundleForEdge(join(EDGE_DIR, entry), 'PostHogConversations') });
        // The sandbox really is an edge runtime: no process, no require.
        expect(runtime.evaluate('typeof process + typeof require')).toBe('undefinedundefined');
      });
      const call = (expression: string, args: unknown) =>
        runtime.evaluate(`(() => { const args = ${JSON.stringify(args)}; const m = PostHogConversations; return ${expression}; })()`);

      it('signs every fixture synchronously, exactly like PostHog Python', () => {
        const results = call(
          'args.map(([id, s]) => m.computeIdentityHash(id, s))',
          accepted.map((c) => [c.distinct_id, c.secret]),
        );
        expect(results).toEqual(accepted.map((c) => c.hash));
      });

      it('matches Node on 500 random ids and secrets (astral and control characters included)', () => {
        const results = call('args.map(([id, s]) => new m.IdentitySigner({ secret: s }).sign(id))', randomCases);
        expect(results).toEqual(randomCases.map(([id, secret]) => computeIdentityHash(id, secret)));
      });

      it('signs and verifies email claims and rotations like Node', () => {
        const results = call(
          `args.map((c) => { const claim = m.signEmailClaim({ distinctId: c.distinct_id, email: c.value, secret: c.secret, now: (c.exp - 3600) * 1000 });
            const ok = m.verifyEmailClaim({ distinctId: c.distinct_id, email: c.value, hash: c.hash, exp: c.exp, secrets: ['phs_other', c.secret], now: (c.exp - 1) * 1000 });
            return [claim.identity_hash_email, ok] })`,
          emailClaimVectors,
        );
        expect(results).toEqual(emailClaimVectors.map((c) => [c.hash, true]));
        const node = new IdentitySigner({ secret: 'phs_new', previousSecrets: ['phs_old'] });
        const old = computeIdentityHash('user_123', 'phs_old');
        expect(call(`new m.IdentitySigner({ secret: 'phs_new', previousSecrets: ['phs_old'] }).verify('user_123', args)`, old)).toBe(
          node.verify('user_123', old),
        );
      });

      if (entry === 'index.js') {
        it("runs createClient and diagnose on the sandbox's fetch, against the emulator over real HTTP", async () => {
          const emulator = await startEmulator();
          onTestFinished(() => emulator.close());
          const args = { host: emulator.url, publicToken: D.publicToken, secret: D.secretApiToken, projectApiKey: D.projectApiKey };
          const result = (await call(
            `(async () => {
              const client = m.createClient({ host: args.host, publicToken: args.publicToken, retry: false });
              const identity = m.identityFor('user_edge', { secret: args.secret });
              const sent = await client.widget.sendMessage({ identity, message: 'from the edge' });
              const page = await client.widget.listTickets({ identity });
              const missing = await client.widget.getMessages('0191a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', { identity }).catch((e) => [e.name, e.code, e.status]);
              const diagnosis = await m.diagnose({ host: args.host, projectApiKey: args.projectApiKey, secret: args.secret });
              return JSON.stringify({ ticket: sent.ticket_id === page.results[0].id, count: page.count, missing, doctor: diagnosis.checks.map((c) => c.id + ':' + c.ok) });
            })()`,
            args,
          )) as string;
          const parsed = JSON.parse(result) as { ticket: boolean; count: number; missing: unknown; doctor: string[] };
          expect(parsed).toMatchObject({ ticket: true, count: 1, missing: ['NotFoundError', 'ERR_NOT_FOUND', 404] });
          expect(parsed.doctor.length).toBeGreaterThan(2);
          expect(parsed.doctor[0]).toMatch(/:true$/);
        });

        it('refuses an undici dispatcher there, saying to pass fetch', () => {
          expect(
            call(
              `(() => { try { m.createClient({ dispatcher: { dispatch() { return true } } }) } catch (e) { return [e.code, e.message] } })()`,
              null,
            ),
          ).toEqual(['ERR_CONFIGURATION', expect.stringMatching(/dispatcher is an undici option, for Node\.js.*pass fetch instead/)]);
        });
      }

      it('throws the same clear errors', () => {
        expect(
          call(
            `(() => { try { m.computeIdentityHash('', 's') } catch (e) { return [e.name, e.code, e instanceof m.ValidationError] } })()`,
            null,
          ),
        ).toEqual(['ValidationError', 'ERR_VALIDATION', true]);
        expect(call(`(() => { try { m.computeIdentityHash('u', 'phc_x') } catch (e) { return e.code } })()`, null)).toBe(
          'ERR_CONFIGURATION',
        );
      });
    });
  }
});

describe('proxy.js (edge build) inside the edge-runtime sandbox', () => {
  it("proxies to the emulator over real HTTP, signing the widget call for getDistinctId's user", async () => {
    const runtime = new EdgeRuntime({ initialCode: await bundleForEdge(join(EDGE_DIR, 'proxy.js'), 'PostHogProxy') });
    expect(runtime.evaluate('typeof process + typeof require')).toBe('undefinedundefined');
    const emulator = await startEmulator();
    onTestFinished(() => emulator.close());
    const args = { host: emulator.url, secret: D.secretApiToken, token: D.publicToken };
    const result = (await runtime.evaluate(`(async () => {
      const args = ${JSON.stringify(args)};
      const proxy = PostHogProxy.createConversationsProxy({ host: args.host, secret: args.secret, prefix: '/ingest', getDistinctId: () => 'user_edge' });
      const headers = { 'content-type': 'application/json', 'x-conversations-token': args.token, origin: 'http://app.test' };
      const sent = await proxy(new Request('http://app.test/ingest/api/conversations/v1/widget/message', { method: 'POST', headers, body: JSON.stringify({ message: 'from the edge', widget_session_id: crypto.randomUUID() }) }));
      const crossSite = await proxy(new Request('http://app.test/ingest/api/conversations/v1/widget/message', { method: 'POST', headers: { ...headers, origin: 'https://evil.example' }, body: '{}' }));
      return JSON.stringify({ sent: sent.status, ticket: (await sent.json()).ticket_id, crossSite: crossSite.status });
    })()`)) as string;
    const outcome = JSON.parse(result) as { sent: number; ticket: string; crossSite: number };
    expect(outcome).toMatchObject({ sent: 200, crossSite: 403 });
    const identity = { identity_distinct_id: 'user_edge', identity_hash: computeIdentityHash('user_edge', D.secretApiToken) };
    const listed = await fetch(`${emulator.url}/api/conversations/v1/widget/tickets?${new URLSearchParams(identity)}`, {
      headers: { 'x-conversations-token': D.publicToken },
    });
    expect(((await listed.json()) as { results: { id: string }[] }).results.map((t) => t.id)).toEqual([outcome.ticket]);
  });
});

describe('webhooks.js (edge build) inside the edge-runtime sandbox', () => {
  let runtime: EdgeRuntime;
  beforeAll(async () => {
    runtime = new EdgeRuntime({ initialCode: await bundleForEdge(join(EDGE_DIR, 'webhooks.js'), 'PostHogWebhooks') });
    expect(runtime.evaluate('typeof process + typeof require')).toBe('undefinedundefined');
  });

  it('verifies what the reference library signs, with a Fetch Headers object, synchronously', () => {
    const secret = `whsec_${Buffer.from('edge-runtime-webhook-secret-key!').toString('base64')}`;
    const body = JSON.stringify({
      event: {
        uuid: 'u',
        event: '$conversation_ticket_created',
        distinct_id: 'd',
        timestamp: 't',
        properties: { ticket_id: 't1', ticket_number: 1, channel_source: 'widget', status: 'new' },
      },
      person: null,
    });
    const now = Math.floor(Date.now() / 1000);
    const signature = new Webhook(secret).sign('msg_edge', new Date(now * 1000), body);
    const args = { secret, body, signature, now: String(now) };
    const verify = (payloadExpression: string, tamper = '') =>
      runtime.evaluate(`(() => { const a = ${JSON.stringify(args)}; const m = PostHogWebhooks;
        const headers = new Headers({ 'webhook-id': 'msg_edge', 'webhook-timestamp': a.now, 'webhook-signature': a.signature });
        try { const d = m.verifyWebhook({ payload: ${payloadExpression}${tamper}, headers, secret: a.secret }); return [d.id, d.event.event, d.event.properties.ticket_id] }
        catch (e) { return [e.name, e.code] } })()`);
    expect(verify('a.body')).toEqual(['msg_edge', '$conversation_ticket_created', 't1']);
    expect(verify('new TextEncoder().encode(a.body)')).toEqual(['msg_edge', '$conversation_ticket_created', 't1']);
    expect(verify('a.body', ` + ' '`)).toEqual(['WebhookVerificationError', 'ERR_WEBHOOK_BAD_SIGNATURE']);
  });
});
