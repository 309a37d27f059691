/**
 * How the client sends everywhere but Node.js (Cloudflare Workers, Vercel Edge, Deno Deploy,
 * browsers): on the runtime's `fetch`, or the one you passed in. An undici dispatcher has no
 * meaning here, so passing one is a configuration error, not an option quietly ignored.
 */
import { ConfigurationError } from '../basics/errors.js';
import type { Exchanger, ExchangerOptions } from './exchange.js';
import { fetchExchanger } from './exchange-fetch.js';

export function createExchanger({ dispatcher, fetch }: ExchangerOptions): Exchanger {
  if (dispatcher !== undefined) {
    throw new ConfigurationError(
      'dispatcher is an undici option, for Node.js; this runtime sends with fetch: pass fetch instead, or leave both out',
    );
  }
  if (fetch === undefined && typeof globalThis.fetch !== 'function') {
    throw new ConfigurationError('this runtime has no global fetch: pass createClient({ fetch })');
  }
  // Looked up on every call, and never called as a method (workerd refuses a fetch bound to another object).
  return fetchExchanger(fetch ?? ((input, init) => globalThis.fetch(input, init)));
}
