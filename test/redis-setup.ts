// The unit project's set-up: the idempotency tests start a real redis-server, installed here once when missing.
import { ensureRedisServer } from './helpers/redis.js';

export default function setup(): void {
  ensureRedisServer();
}
