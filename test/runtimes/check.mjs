// Run by each runtime (Node 20/22/24, Bun, Deno) inside a project where the packed tarball is
// installed: what the package computes there, printed as one JSON line for the test to check
// against Node's own crypto and the reference webhook library.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { computeIdentityHash, IdentitySigner, verifyIdentityHash } from 'posthog-conversations/identity';
import { verifyWebhook } from 'posthog-conversations/webhooks';
import { createClient } from 'posthog-conversations';

const input = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8'));
const runtime =
  typeof Deno === 'object' ? `deno ${Deno.version.deno}` : typeof Bun === 'object' ? `bun ${Bun.version}` : `node ${process.version}`;

const signer = new IdentitySigner({ secret: input.signerSecret, previousSecrets: ['phs_old_secret'] });
const hashes = input.identity.map(([id, secret]) => computeIdentityHash(id, secret));
const verified = input.identity.every(
  ([id, secret], i) => verifyIdentityHash(id, hashes[i], secret) && !verifyIdentityHash(id, hashes[i], `${secret}x`),
);

const outcome = (run) => {
  try {
    return run();
  } catch (error) {
    return error.code ?? String(error);
  }
};
const webhook = outcome(() => verifyWebhook(input.webhook).event.event);
const forged = outcome(() => verifyWebhook({ ...input.webhook, payload: `${input.webhook.payload} ` }));

// A server that accepts and never answers: the client's deadline must still end the call.
const timeout = await new Promise((resolve) => {
  const server = createServer(() => {}).listen(0, '127.0.0.1', async () => {
    const client = createClient({
      host: `http://127.0.0.1:${server.address().port}`,
      publicToken: 'pub',
      timeoutMs: 5000,
      deadlineMs: 500,
      retry: false,
    });
    const started = Date.now();
    const code = await client.widget.listTickets({ widgetSessionId: '0f0e3c6a-8a54-4b8e-9d3e-6f1c1a0d2b7e' }).then(
      () => 'answered',
      (error) => error.code,
    );
    await client.close();
    server.closeAllConnections?.();
    server.close();
    resolve({ code, elapsedMs: Date.now() - started });
  });
});

console.log(
  JSON.stringify({
    runtime,
    resolved: import.meta.resolve('posthog-conversations/identity'),
    hashes,
    verified,
    signed: signer.identityFor('user_123', { email: 'ada@example.com', now: new Date(1_700_000_000_000) }),
    webhook,
    forged,
    timeout,
  }),
);
