import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createClient, identityFor, type ClientOptions, type PostHogConversationsClient } from '../../src/index.js';
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator, type EmulatorOptions } from '../../src/testing/index.js';

export { D };

/**
 * The `fetch` project runs the contract suite again with every client sending on fetch (what
 * every runtime but Node.js gets; Node's own fetch here) instead of undici.
 */
export const sender = { name: process.env.TEST_CLIENT_SENDER === 'fetch' ? 'fetch' : 'undici', fetchCalls: 0 };
const SENDER: Pick<ClientOptions, 'fetch'> =
  sender.name === 'fetch'
    ? {
        fetch: (input, init) => {
          sender.fetchCalls++;
          return fetch(input, init);
        },
      }
    : {};

/** Starts one emulator for a test file (reset after each test) and returns accessors. */
export function useEmulator(options: EmulatorOptions = {}) {
  let emulator: Emulator;
  const clients: PostHogConversationsClient[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({ throttles: false, ...options });
  });
  afterEach(async () => {
    emulator.reset();
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await emulator.close();
  });
  return {
    get emulator() {
      return emulator;
    },
    /** A client with every default credential of the emulator, retries off unless given. */
    client(overrides: ClientOptions = {}): PostHogConversationsClient {
      const client = createClient({
        host: emulator.url,
        publicToken: D.publicToken,
        secretApiToken: D.secretApiToken,
        personalApiKey: D.personalApiKey,
        projectId: D.projectId,
        retry: false,
        ...(overrides.dispatcher === undefined ? SENDER : {}),
        ...overrides,
      });
      clients.push(client);
      return client;
    },
    /** A request the SDK would refuse to send: to check the emulator answers like the server. */
    async raw(
      method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
      path: string,
      options: { headers?: Record<string, string>; body?: unknown; query?: Record<string, string> } = {},
    ) {
      const url = new URL(path, emulator.url);
      for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await request(url, { method, headers, body: options.body === undefined ? null : JSON.stringify(options.body) });
      const text = await response.body.text();
      return { status: response.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    },
  };
}

export const session = (): string => randomUUID();
export const identity = (distinctId: string, secret: string = D.secretApiToken) => identityFor(distinctId, { secret });
export const widgetHeaders = { 'x-conversations-token': D.publicToken };

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}
