/**
 * The idempotency store on Redis, for receivers on several replicas: one key per delivery, claimed
 * and released by Lua scripts (atomic on the server, one round trip), with node-redis (`redis` 4
 * to 6) or ioredis (5, 6) clients, which this module never imports: it takes yours.
 */
import { ConfigurationError, describeType } from '../../basics/errors.js';
import { assertConfigKeys } from '../../basics/options.js';
import type { IdempotencyClaim, IdempotencyStore } from '../idempotency.js';

/**
 * A Redis client this store can send commands with: a node-redis client (`createClient()` from
 * `redis`, v4 to v6: `sendCommand([...])`) or an ioredis `Redis` or `Cluster` (`call(...)`).
 * Connect it yourself; the store never connects, quits or reconfigures it.
 */
export type RedisCommandClient =
  | {
      /** node-redis: sends one command, given as its words. */
      sendCommand(args: string[]): Promise<unknown>;
    }
  | {
      /** ioredis: sends one command, its name first. */
      call(command: string, ...args: string[]): Promise<unknown>;
    };

/** Options of {@link redisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /** Prepended to each `webhook-id` to make its key. Default `posthog-conversations:webhook:`. */
  prefix?: string | undefined;
}

// The value of a held key is `claim:<token>`; of a done one, `done`. Keys expire with their lease or retention.
// KEYS[1] the delivery's key; ARGV[1] the claim token; ARGV[2] the lease in ms. Answers {1} claimed, {2} done, {3, ms left} busy.
const CLAIM = `local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], 'claim:' .. ARGV[1], 'PX', ARGV[2])
  return {1, 0}
end
if v == 'done' then return {2, 0} end
return {3, redis.call('PTTL', KEYS[1])}`;
// Deletes the key only while this token holds it.
const RELEASE = `if redis.call('GET', KEYS[1]) == 'claim:' .. ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
// SHA-1 of each script, as SCRIPT LOAD answers (a test checks them against a real server): EVALSHA
// sends 40 bytes instead of the script; EVAL loads it when the server does not have it yet.
export const SCRIPT_SHA = {
  claim: 'd4cb0286db5a19103bf3f3d002e9ac0369540d06',
  release: 'a4b4c404d8bbecba178d8dff680a771e509049f7',
} as const;
export const SCRIPTS = { claim: CLAIM, release: RELEASE } as const;

type Send = (args: string[]) => Promise<unknown>;

function senderOf(client: unknown): Send {
  const c = client as { call?: unknown; sendCommand?: unknown } | null;
  // ioredis first: it has a sendCommand too, which takes a Command object, not an array.
  if (typeof c?.call === 'function') {
    const call = c.call as (command: string, ...args: string[]) => Promise<unknown>;
    return (args) => call.call(c, ...(args as [string, ...string[]]));
  }
  if (typeof c?.sendCommand === 'function') {
    const send = c.sendCommand as (args: string[]) => Promise<unknown>;
    return (args) => send.call(c, args);
  }
  throw new ConfigurationError(
    `redisIdempotencyStore needs a connected Redis client: createClient() from redis (node-redis 4 to 6) or new Redis() from ioredis, got ${describeType(client)}`,
  );
}

const isNoScript = (error: unknown): boolean => /^NOSCRIPT\b/.test(String((error as Error | null)?.message ?? ''));

/**
 * An {@link IdempotencyStore} on Redis, shared by every replica that uses the same server and
 * prefix. Claims are atomic on the server (a Lua script: never a read, then a write), keys expire
 * on their own (lease, retention), and nothing is kept in this process.
 *
 * @example
 * import { createClient } from 'redis'
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect()
 * app.post('/webhooks/posthog', posthogWebhook({ secret, onDelivery, idempotency: { store: redisIdempotencyStore(redis) } }))
 */
export function redisIdempotencyStore(client: RedisCommandClient, options: RedisIdempotencyStoreOptions = {}): IdempotencyStore {
  assertConfigKeys(options, ['prefix'], 'redisIdempotencyStore options');
  const send = senderOf(client);
  const prefix = options.prefix ?? 'posthog-conversations:webhook:';
  if (typeof prefix !== 'string') throw new ConfigurationError(`prefix must be a string, got ${describeType(prefix)}`);

  const run = async (script: keyof typeof SCRIPTS, key: string, args: string[]): Promise<unknown> => {
    try {
      return await send(['EVALSHA', SCRIPT_SHA[script], '1', prefix + key, ...args]);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return send(['EVAL', SCRIPTS[script], '1', prefix + key, ...args]);
    }
  };

  return {
    async claim(key, token, leaseMs): Promise<IdempotencyClaim> {
      const reply = await run('claim', key, [token, String(leaseMs)]);
      const [code, ttl] = Array.isArray(reply) ? reply.map(Number) : [];
      if (code === 1) return { status: 'claimed' };
      if (code === 2) return { status: 'done' };
      // A key that expired between GET and PTTL answers -2: the lease is over, a retry will claim it.
      if (code === 3 && Number.isFinite(ttl)) return { status: 'busy', retryAfterMs: Math.max(0, ttl as number) };
      throw new TypeError(`Redis answered the claim with ${describeType(reply)}: is this a Redis server?`);
    },
    async complete(key, retainMs) {
      await send(['SET', prefix + key, 'done', 'PX', String(retainMs)]);
    },
    async release(key, token) {
      await run('release', key, [token]);
    },
  };
}
