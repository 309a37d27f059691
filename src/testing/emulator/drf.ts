/**
 * Field validation as Django REST Framework does it, so the emulator's 400s carry the same
 * `details` as the server's: `{field: [messages]}` and `non_field_errors`.
 */
import { codePointLength, isWellFormed, pythonStrip } from '../../identity/rules.js';

export type Details = Record<string, string[]>;

export class Fields {
  readonly errors: Details = {};
  constructor(readonly data: Record<string, unknown>) {}

  has(name: string): boolean {
    return this.data[name] !== undefined;
  }

  fail(name: string, message: string): undefined {
    (this.errors[name] ??= []).push(message);
    return undefined;
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  /** `CharField`: str() of a scalar, stripped (Python's strip), no NUL or surrogates, not blank, max length in code points. */
  char(
    name: string,
    options: { required?: boolean; max?: number; min?: number; allowNull?: boolean; allowBlank?: boolean; trim?: boolean } = {},
  ): string | null | undefined {
    const raw = this.data[name];
    if (raw === undefined) return options.required ? this.fail(name, 'This field is required.') : undefined;
    if (raw === null) return options.allowNull ? null : this.fail(name, 'This field may not be null.');
    if (typeof raw === 'object' || typeof raw === 'boolean') return this.fail(name, 'Not a valid string.');
    let value = String(raw);
    if (options.trim !== false) value = pythonStrip(value);
    if (value.includes('\0')) return this.fail(name, 'Null characters are not allowed.');
    if (!isWellFormed(value)) return this.fail(name, 'Surrogate characters are not allowed.');
    if (value === '') return options.allowBlank ? '' : this.fail(name, 'This field may not be blank.');
    const length = codePointLength(value);
    if (options.max !== undefined && length > options.max)
      return this.fail(name, `Ensure this field has no more than ${options.max} characters.`);
    if (options.min !== undefined && length < options.min)
      return this.fail(name, `Ensure this field has at least ${options.min} characters.`);
    return value;
  }

  /** `UUIDField`: hex with or without dashes; answers the canonical dashed lowercase form. */
  uuid(name: string, options: { required?: boolean } = {}): string | undefined {
    const raw = this.data[name];
    if (raw === undefined) return options.required ? this.fail(name, 'This field is required.') : undefined;
    const value = toUuid(raw);
    return value ?? this.fail(name, 'Must be a valid UUID.');
  }

  /** `IntegerField` with bounds: `int()` of the text after DRF strips a `.0` ending (`'5.0'`, `' +5 '`). */
  int(name: string, options: { min?: number; max?: number; fallback?: number } = {}): number | undefined {
    const raw = this.data[name];
    if (raw === undefined || raw === '') return options.fallback;
    const text =
      typeof raw === 'number' && Number.isInteger(raw)
        ? String(raw)
        : typeof raw === 'number' || typeof raw === 'string'
          ? String(raw).replace(/\.0*\s*$/, '')
          : '';
    const value = pythonInt(text) ?? Number.NaN;
    if (!Number.isInteger(value)) return this.fail(name, 'A valid integer is required.');
    if (options.min !== undefined && value < options.min)
      return this.fail(name, `Ensure this value is greater than or equal to ${options.min}.`);
    if (options.max !== undefined && value > options.max)
      return this.fail(name, `Ensure this value is less than or equal to ${options.max}.`);
    return value;
  }

  /** `ChoiceField`: matched on Python's `str()` of the value, as DRF does. */
  choice(name: string, choices: readonly string[], options: { allowNull?: boolean } = {}): string | null | undefined {
    const raw = this.data[name];
    if (raw === undefined) return undefined;
    if (raw === null) return options.allowNull ? null : this.fail(name, 'This field may not be null.');
    const text = pythonStr(raw);
    if (choices.includes(text)) return text;
    return this.fail(name, `"${text}" is not a valid choice.`);
  }

  /** `FloatField`: a number, a numeric string or a boolean (Python's `float()`), with a lower bound. */
  float(name: string, options: { min?: number; minText?: string } = {}): number | undefined {
    const raw = this.data[name];
    if (raw === undefined) return undefined;
    if (raw === null) return this.fail(name, 'This field may not be null.');
    const value =
      typeof raw === 'number' ? raw : typeof raw === 'boolean' ? Number(raw) : typeof raw === 'string' ? pythonFloat(raw) : undefined;
    if (value === undefined) return this.fail(name, 'A valid number is required.');
    if (options.min !== undefined && value < options.min)
      return this.fail(name, `Ensure this value is greater than or equal to ${options.minText ?? options.min}.`);
    return value;
  }

  /** `DateTimeField` (Django's `parse_datetime`: ISO 8601, naive meaning UTC); answers a Date. */
  dateTime(name: string, options: { allowNull?: boolean } = {}): Date | null | undefined {
    const raw = this.data[name];
    if (raw === undefined) return undefined;
    if (raw === null) return options.allowNull ? null : this.fail(name, 'This field may not be null.');
    const date = typeof raw === 'string' ? parseDateTime(raw) : undefined;
    if (date === undefined)
      return this.fail(
        name,
        'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
      );
    return date;
  }

  /** `EmailField`: a `CharField` that Django's `EmailValidator` accepts (a local part, `@`, a dotted domain). */
  email(name: string, options: { required?: boolean; max?: number } = {}): string | undefined {
    const value = this.char(name, { required: options.required === true, max: options.max ?? 254 });
    if (typeof value !== 'string') return undefined;
    return /^[^@\s]+@[^@\s]+\.[^@\s.]+$/.test(value) ? value : this.fail(name, 'Enter a valid email address.');
  }

  /** `BooleanField`: `true`/`false` and DRF's TRUE_VALUES / FALSE_VALUES (`"true"`, `"yes"`, `1`, `"off"`...). */
  boolean(name: string): boolean | undefined {
    const raw = this.data[name];
    if (raw === undefined) return undefined;
    if (raw === null) return this.fail(name, 'This field may not be null.');
    const text = typeof raw === 'boolean' ? String(raw) : typeof raw === 'number' || typeof raw === 'string' ? String(raw) : '';
    if (
      ['true', 't', 'y', 'yes', 'on', '1'].includes(text.toLowerCase()) &&
      (typeof raw !== 'string' || /^(t|T|y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON|1)$/.test(raw))
    )
      return true;
    if (
      ['false', 'f', 'n', 'no', 'off', '0'].includes(text.toLowerCase()) &&
      (typeof raw !== 'string' || /^(f|F|n|N|no|No|NO|false|False|FALSE|off|Off|OFF|0)$/.test(raw))
    )
      return false;
    return this.fail(name, 'Must be a valid boolean.');
  }

  /** `DictField`: a JSON object (not null, not a list). */
  dict(name: string): Record<string, unknown> | undefined {
    const raw = this.data[name];
    if (raw === undefined) return undefined;
    if (raw === null) return this.fail(name, 'This field may not be null.');
    if (typeof raw !== 'object' || Array.isArray(raw))
      return this.fail(name, `Expected a dictionary of items but got type "${pythonTypeName(raw)}".`);
    return raw as Record<string, unknown>;
  }
}

/** Python's name for the type of a JSON value (`type(value).__name__`), as DRF's messages print it. */
export function pythonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return typeof value === 'boolean' ? 'bool' : 'dict';
}

/** Python's `str()` of a JSON value, as DRF compares choices. */
export function pythonStr(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** Python's `int()` of a string: ASCII digits, an optional sign, underscores between digits, spaces around. */
export function pythonInt(text: string): number | undefined {
  return /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(text) ? Number(text.replace(/_/g, '')) : undefined;
}

/** Python's `float()` of a string: a decimal or exponent form, `inf`/`nan`, spaces around; else undefined. */
function pythonFloat(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^[+-]?(inf(inity)?|nan)$/i.test(trimmed)) return /nan/i.test(trimmed) ? Number.NaN : trimmed.startsWith('-') ? -Infinity : Infinity;
  return /^[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed.replace(/_/g, '')) : undefined;
}

// What Python's `datetime.fromisoformat` and Django's `datetime_re` accept, in the forms seen in practice.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Django's `parse_datetime` plus DRF's default zone (UTC) for a naive value; undefined when invalid. */
export function parseDateTime(text: string): Date | undefined {
  const m = DATE_TIME.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m;
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  const [year, month, day, hour, minute, second] = parts as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  if (new Date(utc).getUTCDate() !== day) return undefined; // 2026-02-30
  if (zone === undefined || zone === 'Z') return new Date(utc);
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  return new Date(utc - offset * 60_000);
}

const UUID_HEX = /^[0-9a-f]{32}$/;

/** Django's UUID parsing (dashes and braces optional, any case) to the canonical form, or undefined. */
export function toUuid(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const hex = raw
    .trim()
    .toLowerCase()
    .replace(/^urn:uuid:/, '')
    .replace(/[{}-]/g, '');
  if (!UUID_HEX.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Python's `datetime.isoformat()` of a UTC datetime: microseconds and `+00:00`. */
export function isoformat(date: Date | null): string | null {
  if (date === null) return null;
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', '+00:00') : iso.replace(/\.(\d{3})Z$/, '.$1000+00:00');
}
