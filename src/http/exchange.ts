/**
 * One HTTP exchange under one timer: from connecting to the last byte of the body, nothing the
 * server sends can make it outlive `timeoutMs` (for the headers) or the call's deadline (for all
 * of it). What every way of sending shares: an exchanger sends on undici (Node.js,
 * exchange-undici.ts) or on `fetch` (everywhere else, exchange-fetch.ts) within the same bounds.
 */
import type { FetchFunction } from '../basics/fetch-body.js';

/** Why an exchange stopped early; the transport turns it into a typed error. */
export class Stop extends Error {
  constructor(
    readonly reason: 'deadline' | 'timeout' | 'too-large',
    readonly detail: number,
  ) {
    super(reason);
  }
}

/** What came back: the final status, its headers (single strings, no `set-cookie`), the body as text. */
export interface Received {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** One request as the transport describes it. */
export interface Outgoing {
  origin: string;
  /** Path and query, already encoded. */
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

/** The exchange's bounds and what to tell the transport. */
export interface Bounds {
  /** Longest wait for the final headers, connecting included. */
  timeoutMs: number;
  /** When the whole call must be over (epoch ms). */
  deadline: number;
  /** Largest body read. */
  maxBytes: number;
  /** The caller's signal, if any. */
  signal: AbortSignal | undefined;
}

/** What picks the way of sending (`#exchanger`), from the client's checked options. */
export interface ExchangerOptions {
  /** An undici dispatcher (Node.js only). */
  dispatcher: unknown;
  fetch: FetchFunction | undefined;
  /** The longest a connection attempt may take (undici's connector). */
  connectTimeoutMs: number;
}

/** A way of sending: one exchange at a time within its bounds, and the connections it holds. */
export interface Exchanger {
  exchange(out: Outgoing, bounds: Bounds): Promise<Received>;
  /** Lets go of the connections this exchanger made (none it was given). Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The first timer of an exchange: the headers by `timeoutMs`, unless the deadline comes first. The
 * reason is made only when the timer fires: an Error captures a stack, which measured as a visible
 * share of a call's CPU when built on every call.
 */
export function headersStop(bounds: Bounds): { stop: () => Stop; ms: number } {
  const remaining = bounds.deadline - Date.now();
  return remaining <= bounds.timeoutMs
    ? { stop: () => new Stop('deadline', 0), ms: remaining }
    : { stop: () => new Stop('timeout', bounds.timeoutMs), ms: bounds.timeoutMs };
}
