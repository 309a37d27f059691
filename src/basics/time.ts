/** The `now` option of the time-bound checks (email claims, webhook timestamps). */
import { ValidationError, describeType } from './errors.js';

/** `now` (a Date or epoch milliseconds, default the clock) in whole Unix seconds; anything else is a ValidationError. */
export function nowSeconds(now: Date | number | undefined): number {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  const ms = now instanceof Date ? now.getTime() : now;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new ValidationError('now', `now must be a valid Date or epoch milliseconds, got ${describeType(now)}`);
  }
  return Math.floor(ms / 1000);
}
