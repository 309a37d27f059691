/**
 * SLA due dates from an amount of time, optionally counted in business hours only
 * (reference §4.2). Business hours are walked in the given timezone's wall-clock time.
 */
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MINUTE = 60_000;
const UNIT_MS = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE } as const;
/** The largest amount per unit (one year). */
export const SLA_CAPS = { minute: 525_600, hour: 8760, day: 365 } as const;

export interface BusinessHours {
  days: number[];
  /** Minutes after local midnight; `undefined` when any time of those days counts. */
  start?: number;
  end?: number;
  timezone: string;
}

/** Parses `{days, time, timezone}`; a string describing the first problem when invalid. */
export function parseBusinessHours(raw: unknown): BusinessHours | string {
  if (typeof raw !== 'object' || raw === null) return 'sla_business_hours must be an object';
  const { days, time = 'any', timezone = 'UTC' } = raw as Record<string, unknown>;
  if (!Array.isArray(days) || days.length === 0) return 'days must be a non-empty list of weekday names';
  const indexes = days.map((d) => DAYS.indexOf(String(d).toLowerCase()));
  if (indexes.includes(-1)) return 'days must be weekday names (monday ... sunday)';
  if (typeof timezone !== 'string' || !validTimezone(timezone)) return 'timezone must be an IANA timezone';
  if (time === 'any') return { days: indexes, timezone };
  const toMinutes = (v: unknown) => (typeof v === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? Number(v.slice(0, 2)) * 60 + Number(v.slice(3)) : undefined);
  if (!Array.isArray(time) || time.length !== 2) return 'time must be "any" or ["HH:MM", "HH:MM"]';
  const start = toMinutes(time[0]);
  const end = toMinutes(time[1]);
  if (start === undefined || end === undefined || end <= start) return 'time must be ["HH:MM", "HH:MM"] with the end after the start';
  return { days: indexes, start, end, timezone };
}

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` from UTC at `date`, in milliseconds. */
function offsetMs(zone: string, date: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - Math.floor(date.getTime() / 1000) * 1000;
}

/** `from` plus `amount` `unit`s, counting only business time when `hours` is given. */
export function slaDueAt(from: Date, amount: number, unit: keyof typeof UNIT_MS, hours?: BusinessHours): Date {
  let remaining = amount * UNIT_MS[unit];
  if (!hours) return new Date(from.getTime() + remaining);
  const offset = offsetMs(hours.timezone, from);
  let wall = from.getTime() + offset; // local wall-clock time, expressed as a UTC instant
  for (let guard = 0; remaining > 0 && guard < 3 * 366; guard++) {
    const day = new Date(wall);
    const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
    const open = hours.days.includes(day.getUTCDay());
    const start = midnight + (hours.start ?? 0) * MINUTE;
    const end = midnight + (hours.end ?? 24 * 60) * MINUTE;
    if (open && wall < end) {
      const begin = Math.max(wall, start);
      const usable = end - begin;
      if (remaining <= usable) return new Date(begin + remaining - offset);
      remaining -= usable;
    }
    wall = midnight + 24 * 60 * MINUTE;
  }
  return new Date(wall - offset);
}
