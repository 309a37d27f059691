// An IdempotencyStore on PostgreSQL, for apps that run Postgres and not Redis. `db` is anything with
// query(text, values) => { rows }: a pg Pool or Client, or PGlite. Claims are one atomic upsert:
// a row is taken over only when its lease has run out; done rows keep token null until they expire.
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS posthog_webhook_deliveries (
  id text PRIMARY KEY,
  token text,                          -- the claim's holder; null once done
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS posthog_webhook_deliveries_expires ON posthog_webhook_deliveries (expires_at);`;

/** @returns {import('posthog-conversations/webhooks').IdempotencyStore} */
export function postgresIdempotencyStore(db) {
  return {
    async claim(id, token, leaseMs) {
      const { rows } = await db.query(
        `INSERT INTO posthog_webhook_deliveries (id, token, expires_at)
         VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
         ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
           WHERE posthog_webhook_deliveries.expires_at <= clock_timestamp()
         RETURNING token`,
        [id, token, leaseMs],
      );
      if (rows.length === 1) return { status: 'claimed' };
      const held = await db.query(
        `SELECT token, GREATEST(0, EXTRACT(EPOCH FROM expires_at - clock_timestamp()) * 1000)::float8 AS ms_left
         FROM posthog_webhook_deliveries WHERE id = $1`,
        [id],
      );
      const row = held.rows[0];
      if (row === undefined) return { status: 'busy', retryAfterMs: 1000 }; // deleted meanwhile: the retry claims it
      return row.token === null ? { status: 'done' } : { status: 'busy', retryAfterMs: Number(row.ms_left) };
    },
    async complete(id, retainMs) {
      await db.query(
        `INSERT INTO posthog_webhook_deliveries (id, token, expires_at)
         VALUES ($1, NULL, clock_timestamp() + $2 * interval '1 millisecond')
         ON CONFLICT (id) DO UPDATE SET token = NULL, expires_at = EXCLUDED.expires_at`,
        [id, retainMs],
      );
    },
    async release(id, token) {
      await db.query('DELETE FROM posthog_webhook_deliveries WHERE id = $1 AND token = $2', [id, token]);
    },
  };
}

// Expired rows are never read as live; delete them now and then (a cron, pg_cron):
// DELETE FROM posthog_webhook_deliveries WHERE expires_at < now();
