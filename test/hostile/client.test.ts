// The hostile-input suite, API clients: every method family against every hostile server answer
// (test/hostile/servers.ts), named cases and generated ones. Each call must end within its deadline
// (plus a margin for a loaded machine) with a typed error of this SDK, the server's echo of a key
// masked. Counts what it tried and prints them, like a fuzzing report.
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, InvalidResponseError, PostHogConversationsError, TimeoutError, createClient, diagnose } from '../../src/index.js';
import { HOSTILITIES, hostileServer, type Hostility } from './servers.js';

const SESSION = '0191a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const KNOWN_CODES = new Set(Object.values(ERROR_CODES).flat());
// What a loaded two-core machine may add to a deadline before the call has visibly ended.
const MARGIN_MS = 1500;
const tried = { calls: 0, generated: 0 };

afterAll(() => {
  console.log(
    `hostile servers: ${tried.calls} calls across ${HOSTILITIES.length} kinds of answer and ${Object.keys(CALLS).length} methods (${tried.generated} generated)`,
  );
});

type Client = ReturnType<typeof createClient>;
const CALLS: Record<string, (c: Client) => Promise<unknown>> = {
  'widget.listTickets (GET)': (c) => c.widget.listTickets({ widgetSessionId: SESSION }),
  'widget.sendMessage (POST)': (c) => c.widget.sendMessage({ message: 'hi', widgetSessionId: SESSION, distinctId: 'u' }),
  'tickets.list (GET, personal key)': (c) => c.tickets.list(),
  'tickets.reply (POST)': (c) => c.tickets.reply(SESSION, { message: 'hi' }),
  'external.updateTicket (PATCH)': (c) => c.external.updateTicket(SESSION, { status: 'open' }),
};

/** The two ways a client sends: undici on Node.js, and fetch (what every other runtime gets; Node's own here). */
const SENDERS = { undici: {}, fetch: { fetch: (input: string, init: RequestInit) => fetch(input, init) } } as const;
type Sender = keyof typeof SENDERS;

async function attempt(
  hostility: Hostility,
  call: string,
  bounds: { timeoutMs: number; deadlineMs: number; retry: boolean },
  sender: Sender = 'undici',
) {
  const server = await hostileServer(hostility);
  const client = createClient({
    ...SENDERS[sender],
    host: server.url,
    publicToken: 'widget_public_token_value',
    personalApiKey: 'phx_secret_key_value',
    projectId: 1,
    secretApiToken: 'phs_secret_token_value',
    timeoutMs: bounds.timeoutMs,
    deadlineMs: bounds.deadlineMs,
    maxResponseBytes: 1024 * 1024,
    ...(bounds.retry ? {} : { retry: false }),
  });
  const started = performance.now();
  let error: unknown;
  try {
    await CALLS[call]!(client);
  } catch (caught) {
    error = caught;
  }
  const elapsed = performance.now() - started;
  tried.calls++;
  await Promise.all([client.close(), server.close()]);
  return { error, elapsed };
}

function expectBounded(result: { error: unknown; elapsed: number }, deadlineMs: number, what: string) {
  expect(result.error, `${what} must fail`).toBeInstanceOf(PostHogConversationsError);
  const error = result.error as PostHogConversationsError;
  expect(KNOWN_CODES.has(error.code), `${what}: ${error.code}`).toBe(true);
  expect(result.elapsed, `${what} took ${Math.round(result.elapsed)} ms (deadline ${deadlineMs} ms): ${error.message}`).toBeLessThan(
    deadlineMs + MARGIN_MS,
  );
  const shown = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 10 })} ${JSON.stringify((error as { body?: unknown }).body)} ${JSON.stringify((error as { headers?: unknown }).headers)}`;
  expect(shown, `${what} shows a key`).not.toMatch(
    /secret_key_value|secret_token_value|widget_public_token_value|secret%5Fkey|secret\\u005f/,
  );
}

describe('every method family against every hostile answer ends within its deadline, typed', () => {
  // fetch asks for gzip and decodes it, so a gzipped answer is no surprise there (the byte cap
  // counts decoded bytes: test/client/hardening.test.ts sends it a gzip bomb).
  const cases = (Object.keys(SENDERS) as Sender[]).flatMap((sender) =>
    HOSTILITIES.filter((hostility) => sender === 'undici' || hostility !== 'gzip').flatMap((hostility) =>
      Object.keys(CALLS).map((call) => [sender, hostility, call] as const),
    ),
  );
  it.concurrent.each(cases)('on %s, %s: %s', async (sender, hostility, call) => {
    // A deadline well past timeoutMs + 1 s: the case where undici's own timers were all that bounded a call.
    const bounds = { timeoutMs: 500, deadlineMs: 2500, retry: true };
    const result = await attempt(hostility, call, bounds, sender);
    expectBounded(result, bounds.deadlineMs, `${call} vs ${hostility}`);
    if (hostility === 'wrong-shape' || hostility === 'malformed-json' || hostility === 'gzip')
      expect(result.error).toBeInstanceOf(InvalidResponseError);
    if (hostility.endsWith('flood') || hostility === 'silent' || hostility === 'tls-silent' || hostility === 'trickle')
      expect(result.error).toBeInstanceOf(TimeoutError);
  });

  it('generated bounds and answers: always typed, always within the deadline', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HOSTILITIES),
        fc.constantFrom(...Object.keys(CALLS)),
        fc.integer({ min: 100, max: 700 }),
        fc.integer({ min: 150, max: 900 }),
        fc.boolean(),
        fc.constantFrom(...(Object.keys(SENDERS) as Sender[])),
        async (hostility, call, timeoutMs, deadlineMs, retry, sender) => {
          if (sender === 'fetch' && hostility === 'gzip') return;
          tried.generated++;
          expectBounded(
            await attempt(hostility, call, { timeoutMs, deadlineMs, retry }, sender),
            deadlineMs,
            `${call} vs ${hostility} on ${sender} (${timeoutMs}/${deadlineMs} ms)`,
          );
        },
      ),
      { numRuns: 30 },
    );
  }, 90_000);
});

describe('doctor against hostile servers', () => {
  it.each(['informational-flood', 'tls-silent', 'trickle'] as const)('diagnose ends within its deadline against %s', async (hostility) => {
    const server = await hostileServer(hostility);
    const started = performance.now();
    try {
      const diagnosis = await diagnose({
        host: server.url,
        projectApiKey: 'phc_x',
        secret: 'phs_y',
        personalApiKey: 'phx_z',
        projectId: 1,
        deadlineMs: 2000,
      });
      expect(diagnosis.ok).toBe(false);
    } finally {
      await server.close();
    }
    tried.calls++;
    expect(performance.now() - started).toBeLessThan(2000 + MARGIN_MS);
  });
});
