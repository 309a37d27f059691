/**
 * SLA deadlines as PostHog computes them (`services/sla.py`, `compute_sla_deadline`), and the
 * serializer's check of `sla_business_hours` (`api/ticket_actions.py`). The walk is in wall-clock
 * time in the window's zone, so a 09:00-17:00 day is 8 hours on a DST day too; a `day` with a
 * custom window is one window length. Messages are the server's, word for word.
 */
import { isZoneName } from '../../basics/timezones.js';
import { pythonInt } from './drf.js';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type SlaUnit = 'minute' | 'hour' | 'day';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The walk's safety cap: five years of days. */
const MAX_DAY_ITERATIONS = 365 * 5;
/** The largest amount per unit the server takes (`MAX_SLA_AMOUNT_BY_UNIT`; the emulator's values: one year). */
export const MAX_SLA_AMOUNT_BY_UNIT: Record<SlaUnit, number> = { minute: 525_600, hour: 8760, day: 365 };

/** A `ValueError` of `compute_sla_deadline`: the server answers it as a 400 on `sla_amount`. */
export class SlaError extends Error {}

/** Python's `repr` of a JSON value, for messages that print one. */
export function pythonRepr(value: unknown): string {
  if (typeof value === 'string') {
    const escaped = value.replace(/\\/g, '\\\\');
    // Python quotes with ' unless the text has a ' and no ".
    return escaped.includes("'") && !escaped.includes('"') ? `"${escaped}"` : `'${escaped.replace(/'/g, "\\'")}'`;
  }
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
      .join(', ')}}`;
  return String(value);
}

/** `validate_sla_business_hours`: the first problem's message, or undefined when the value passes. */
export function businessHoursProblem(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return 'sla_business_hours must be an object';
  const config = value as Record<string, unknown>;
  const days = config.days;
  if (!Array.isArray(days) || days.length === 0) return 'sla_business_hours.days must be a non-empty list';
  const unknown = days.filter((day) => !(WEEKDAYS as readonly unknown[]).includes(day));
  if (unknown.length > 0) return `Unknown weekday names: ${pythonRepr(unknown)}`;
  const time = 'time' in config ? config.time : 'any';
  if (time !== 'any') {
    if (!Array.isArray(time) || time.length !== 2) return "sla_business_hours.time must be 'any' or [start, end]";
    if (typeof time[0] !== 'string' || typeof time[1] !== 'string') return 'sla_business_hours.time entries must be HH:MM strings';
    if (time[0] >= time[1]) return 'sla_business_hours.time start must be strictly before end';
  }
  const zone = config.timezone || 'UTC';
  if (typeof zone !== 'string') return 'sla_business_hours.timezone must be a string';
  if (!isZoneName(zone)) return `Invalid timezone: ${zone}`;
  return undefined;
}

/** `is_calendar_hours`: no config, or all seven days at any time, is plain calendar time. */
function isCalendarHours(config: Record<string, unknown> | null | undefined): boolean {
  if (!config || Object.keys(config).length === 0) return true;
  const days = Array.isArray(config.days) ? new Set(config.days) : new Set();
  const time = 'time' in config ? config.time : 'any';
  return days.size === WEEKDAYS.length && WEEKDAYS.every((day) => days.has(day)) && time === 'any';
}

function parseHhmm(value: unknown, field: 'start' | 'end'): number {
  if (typeof value !== 'string') throw new SlaError(`business_hours.time[${field}] must be a 'HH:MM' string`);
  const parts = value.split(':');
  if (parts.length !== 2) throw new SlaError(`business_hours.time[${field}] must be 'HH:MM', got ${pythonRepr(value)}`);
  const hour = pythonInt(parts[0]!);
  const minute = pythonInt(parts[1]!);
  if (hour === undefined || minute === undefined)
    throw new SlaError(`business_hours.time[${field}] must be 'HH:MM', got ${pythonRepr(value)}`);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59)
    throw new SlaError(`business_hours.time[${field}] out of range, got ${pythonRepr(value)}`);
  return hour * 60 + minute;
}

/** The zone's offset from UTC at an instant, in ms (whole seconds, as the zone database has them). */
function offsetAt(zone: string, instant: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * A wall-clock time in the zone (as ms since the epoch of a naive datetime) to the UTC instant, as
 * `replace(tzinfo=zone)` resolves it: fold 0, so an ambiguous time is its first occurrence and a
 * time in a spring-forward gap takes the offset from before the transition.
 */
function fromWall(wall: number, zone: string): number {
  const before = wall - offsetAt(zone, wall - DAY);
  const after = wall - offsetAt(zone, wall + DAY);
  const isThat = (instant: number) => instant + offsetAt(zone, instant) === wall;
  if (isThat(before) || !isThat(after)) return before;
  return after;
}

/**
 * `compute_sla_deadline`: `now` plus `amount` `unit`s, counted inside the business hours when they
 * restrict the week or the day. Throws {@link SlaError} for what the server raises as `ValueError`.
 */
export function computeSlaDeadline(now: Date, amount: number, unit: SlaUnit, businessHours?: Record<string, unknown> | null): Date {
  if (!(amount > 0)) throw new SlaError('amount must be > 0');
  if (isCalendarHours(businessHours)) return new Date(now.getTime() + amount * { minute: MINUTE, hour: 60 * MINUTE, day: DAY }[unit]);
  const config = businessHours!;
  const days = new Set(config.days as string[]);
  const zone = (config.timezone as string | undefined) || 'UTC';
  const time = 'time' in config ? config.time : 'any';
  const anyTime = time === 'any';
  if (!anyTime && !(Array.isArray(time) && time.length === 2)) throw new SlaError("business_hours.time must be 'any' or [start, end]");
  const start = anyTime ? 0 : parseHhmm((time as unknown[])[0], 'start');
  const end = anyTime ? 24 * 60 : parseHhmm((time as unknown[])[1], 'end');
  if (end <= start) throw new SlaError('business_hours.time end must be strictly after start');
  let remaining = unit === 'minute' ? amount : unit === 'hour' ? amount * 60 : amount * (end - start);

  // The walk is in naive wall-clock time (ms of a UTC-encoded date), as in the server.
  let cursor = now.getTime() + offsetAt(zone, now.getTime());
  for (let i = 0; i < MAX_DAY_ITERATIONS; i++) {
    const date = new Date(cursor);
    const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    if (days.has(WEEKDAYS[(date.getUTCDay() + 6) % 7]!)) {
      const windowStart = midnight + start * MINUTE;
      const windowEnd = anyTime ? midnight + DAY : midnight + end * MINUTE;
      const effectiveStart = Math.max(cursor, windowStart);
      if (effectiveStart < windowEnd) {
        const available = (windowEnd - effectiveStart) / MINUTE;
        if (remaining <= available) return new Date(fromWall(effectiveStart + remaining * MINUTE, zone));
        remaining -= available;
      }
    }
    cursor = midnight + DAY + start * MINUTE;
  }
  throw new SlaError(`SLA amount is too large for the configured business hours (exceeded ${MAX_DAY_ITERATIONS}-day walk cap)`);
}
