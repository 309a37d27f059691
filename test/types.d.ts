// Express 4 is installed under an alias for the adapter tests; its API matches @types/express.
declare module 'express4' {
  import express from 'express';
  export default express;
}

// The Postgres store the webhooks guide shows, a plain .mjs file so it can be copied as it is.
declare module '*/examples/webhooks/postgres-store.mjs' {
  import type { IdempotencyStore } from '../src/webhooks/index.js';
  export const SCHEMA: string;
  export function postgresIdempotencyStore(db: {
    query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  }): IdempotencyStore;
}
