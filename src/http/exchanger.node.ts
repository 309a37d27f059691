/**
 * How the client sends on Node.js (the `node` condition of `#exchanger`): on undici's keep-alive
 * pool, or on the `fetch` you passed in.
 */
import type { Dispatcher } from 'undici';
import type { Exchanger, ExchangerOptions } from './exchange.js';
import { fetchExchanger } from './exchange-fetch.js';
import { undiciExchanger } from './exchange-undici.js';

export function createExchanger({ dispatcher, fetch, connectTimeoutMs }: ExchangerOptions): Exchanger {
  return fetch !== undefined ? fetchExchanger(fetch) : undiciExchanger(dispatcher as Dispatcher | undefined, connectTimeoutMs);
}
