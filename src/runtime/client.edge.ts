/**
 * The API clients in the edge build: same names and types, but they need Node.js (undici pools,
 * keep-alive), so using them on an edge runtime fails at once with a clear message.
 */
import { ConfigurationError } from '../basics/errors.js';
import type { ClientOptions, PosthogConversationsClient as NodeClient } from '../client.js';

export type { ClientOptions } from '../client.js';

const MESSAGE =
  'createClient needs Node.js (20.18.1+): the API clients run on undici. On an edge runtime, sign identities here ' +
  '(computeIdentityHash, identityFor) and call the API from a Node.js server or route.';

export const PosthogConversationsClient = class {
  constructor() {
    throw new ConfigurationError(MESSAGE);
  }
} as unknown as typeof NodeClient;

export function createClient(_options?: ClientOptions): NodeClient {
  throw new ConfigurationError(MESSAGE);
}
