// The emulator's SLA deadlines against PostHog's `compute_sla_deadline` (services/sla.py) and the
// serializer's `validate_sla_business_hours`; DST expectations checked with Python's zoneinfo.
import { describe, expect, it } from 'vitest';
import { SlaError, businessHoursProblem, computeSlaDeadline, pythonRepr } from '../../src/testing/emulator/sla.js';

const at = (iso: string) => new Date(iso);
const WEEKDAYS_9_TO_5 = { days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], time: ['09:00', '17:00'], timezone: 'UTC' };
const EVERY_DAY = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

describe('compute_sla_deadline', () => {
  it('test_patch_sla_amount_calendar_hours: 4 hours from Monday 10:00 UTC is 14:00', () => {
    expect(computeSlaDeadline(at('2026-01-05T10:00:00Z'), 4, 'hour', null).toISOString()).toBe('2026-01-05T14:00:00.000Z');
  });

  it('test_patch_sla_amount_business_hours: 10 business hours from Thursday 16:00 is Monday 10:00', () => {
    expect(computeSlaDeadline(at('2026-01-08T16:00:00Z'), 10, 'hour', WEEKDAYS_9_TO_5).toISOString()).toBe('2026-01-12T10:00:00.000Z');
  });

  it('a day in a custom window is one window length (09:00-17:00: 8 hours)', () => {
    expect(computeSlaDeadline(at('2026-01-05T09:00:00Z'), 1, 'day', WEEKDAYS_9_TO_5).toISOString()).toBe('2026-01-05T17:00:00.000Z');
    expect(computeSlaDeadline(at('2026-01-05T09:00:00Z'), 1.5, 'day', WEEKDAYS_9_TO_5).toISOString()).toBe('2026-01-06T13:00:00.000Z');
  });

  it("a day with time 'any' on some days is 24 wall-clock hours of those days", () => {
    const weekdays = { days: WEEKDAYS_9_TO_5.days, time: 'any', timezone: 'UTC' };
    expect(computeSlaDeadline(at('2026-01-09T12:00:00Z'), 1, 'day', weekdays).toISOString()).toBe('2026-01-12T12:00:00.000Z'); // Friday noon -> Monday noon
  });

  it('all seven days at any time is plain calendar time, whatever the timezone (48 h elapsed across DST)', () => {
    const always = { days: EVERY_DAY, time: 'any', timezone: 'America/New_York' };
    expect(computeSlaDeadline(at('2026-03-07T17:00:00Z'), 2, 'day', always).toISOString()).toBe('2026-03-09T17:00:00.000Z');
  });

  it('walks wall-clock time across a spring-forward day: 9-5 stays 9-5 (not an hour off)', () => {
    const nineToFive = { days: EVERY_DAY.slice(0, 7), time: ['09:00', '17:00'], timezone: 'America/New_York' };
    // Saturday 16:00 EST: one hour that day, then Sunday (EDT since 02:00) from 09:00: 10:00 EDT.
    expect(computeSlaDeadline(at('2026-03-07T21:00:00Z'), 2, 'hour', nineToFive).toISOString()).toBe('2026-03-08T14:00:00.000Z');
  });

  it('a deadline in the spring-forward gap takes the offset from before it (zoneinfo fold 0)', () => {
    const sundays = { days: ['sunday'], time: 'any', timezone: 'America/New_York' };
    // 00:00 EST plus 2.5 wall-clock hours is 02:30, which does not exist that night: 07:30 UTC.
    expect(computeSlaDeadline(at('2026-03-08T05:00:00Z'), 150, 'minute', sundays).toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('an ambiguous fall-back deadline is its first occurrence (zoneinfo fold 0)', () => {
    const sundays = { days: ['sunday'], time: 'any', timezone: 'America/New_York' };
    // 00:00 EDT plus 1.5 wall-clock hours is 01:30, which happens twice: the first, EDT, 05:30 UTC.
    expect(computeSlaDeadline(at('2026-11-01T04:00:00Z'), 90, 'minute', sundays).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('raises what the server raises: times out of range, an end not after its start, a walk past five years', () => {
    const config = (time: unknown) => ({ days: ['monday'], time, timezone: 'UTC' });
    expect(() => computeSlaDeadline(at('2026-01-05T00:00:00Z'), 1, 'hour', config(['23:00', '25:00']))).toThrow(
      new SlaError("business_hours.time[end] out of range, got '25:00'"),
    );
    expect(() => computeSlaDeadline(at('2026-01-05T00:00:00Z'), 1, 'hour', config(['09:00:00', '17:00']))).toThrow(
      "business_hours.time[start] must be 'HH:MM', got '09:00:00'",
    );
    expect(() => computeSlaDeadline(at('2026-01-05T00:00:00Z'), 1, 'hour', config(['09:00', '9:00']))).toThrow(
      'business_hours.time end must be strictly after start',
    );
    expect(() => computeSlaDeadline(at('2026-01-05T00:00:00Z'), 8760, 'hour', config(['09:00', '10:00']))).toThrow(
      'SLA amount is too large for the configured business hours (exceeded 1825-day walk cap)',
    );
  });
});

describe('validate_sla_business_hours', () => {
  it.each([
    ['not an object', ['monday'], 'sla_business_hours must be an object'],
    ['empty days', { days: [] }, 'sla_business_hours.days must be a non-empty list'],
    ['capitalised weekday names', { days: ['Monday', 'funday'] }, "Unknown weekday names: ['Monday', 'funday']"],
    ['a time that is neither any nor a pair', { days: ['monday'], time: '9-5' }, "sla_business_hours.time must be 'any' or [start, end]"],
    ['null time', { days: ['monday'], time: null }, "sla_business_hours.time must be 'any' or [start, end]"],
    ['non-string entries', { days: ['monday'], time: [9, 17] }, 'sla_business_hours.time entries must be HH:MM strings'],
    [
      'an inverted window, compared as strings',
      { days: ['monday'], time: ['9:00', '10:00'] },
      'sla_business_hours.time start must be strictly before end',
    ],
    ['a timezone that is not a string', { days: ['monday'], timezone: 5 }, 'sla_business_hours.timezone must be a string'],
    ['an unknown timezone', { days: ['monday'], timezone: 'Mars/Olympus' }, 'Invalid timezone: Mars/Olympus'],
    ['an offset instead of a zone', { days: ['monday'], timezone: '+01:00' }, 'Invalid timezone: +01:00'],
  ])('refuses %s', (_, value, message) => {
    expect(businessHoursProblem(value)).toBe(message);
  });

  it('accepts null, a missing time and an empty timezone (UTC)', () => {
    expect(businessHoursProblem(null)).toBeUndefined();
    expect(businessHoursProblem({ days: ['monday'] })).toBeUndefined();
    expect(businessHoursProblem({ days: ['monday'], time: ['09:00', '17:00'], timezone: '' })).toBeUndefined();
    expect(businessHoursProblem({ days: ['sunday'], timezone: 'Europe/Paris' })).toBeUndefined();
  });

  it("prints values as Python's repr does", () => {
    expect(pythonRepr(["it's", 'say "hi"', 1, null, true])).toBe(`["it's", 'say "hi"', 1, None, True]`);
  });
});
