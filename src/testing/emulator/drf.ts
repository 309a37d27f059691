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
  char(name: string, options: { required?: boolean; max?: number; min?: number; allowNull?: boolean; allowBlank?: boolean; trim?: boolean } = {}): string | null | undefined {
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
    if (options.max !== undefined && length > options.max) return this.fail(name, `Ensure this field has no more than ${options.max} characters.`);
    if (options.min !== undefined && length < options.min) return this.fail(name, `Ensure this field has at least ${options.min} characters.`);
    return value;
  }

  /** `UUIDField`: hex with or without dashes; answers the canonical dashed lowercase form. */
  uuid(name: string, options: { required?: boolean } = {}): string | undefined {
    const raw = this.data[name];
    if (raw === undefined) return options.required ? this.fail(name, 'This field is required.') : undefined;
    const value = toUuid(raw);
    return value ?? this.fail(name, 'Must be a valid UUID.');
  }

  /** `IntegerField` with bounds; strings of digits are accepted as DRF does. */
  int(name: string, options: { min?: number; max?: number; fallback?: number } = {}): number | undefined {
    const raw = this.data[name];
    if (raw === undefined || raw === '') return options.fallback;
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(value)) return this.fail(name, 'A valid integer is required.');
    if (options.min !== undefined && value < options.min) return this.fail(name, `Ensure this value is greater than or equal to ${options.min}.`);
    if (options.max !== undefined && value > options.max) return this.fail(name, `Ensure this value is less than or equal to ${options.max}.`);
    return value;
  }

  /** `ChoiceField`. */
  choice(name: string, choices: readonly string[], options: { allowNull?: boolean } = {}): string | null | undefined {
    const raw = this.data[name];
    if (raw === undefined) return undefined;
    if (raw === null && options.allowNull) return null;
    if (typeof raw === 'string' && choices.includes(raw)) return raw;
    return this.fail(name, `"${String(raw)}" is not a valid choice.`);
  }

  /** `DateTimeField`: ISO 8601; answers a Date. */
  dateTime(name: string, options: { allowNull?: boolean } = {}): Date | null | undefined {
    const raw = this.data[name];
    if (raw === undefined || (raw === null && options.allowNull)) return raw as null | undefined;
    const date = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}/.test(raw) ? new Date(raw.replace(' ', 'T')) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) return this.fail(name, 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].');
    return date;
  }

  /** `DictField`: a JSON object (not null, not a list). */
  dict(name: string): Record<string, unknown> | undefined {
    const raw = this.data[name];
    if (raw === undefined) return undefined;
    if (raw === null) return this.fail(name, 'This field may not be null.');
    if (typeof raw !== 'object' || Array.isArray(raw)) return this.fail(name, `Expected a dictionary of items but got type "${Array.isArray(raw) ? 'list' : raw === null ? 'NoneType' : typeof raw}".`);
    return raw as Record<string, unknown>;
  }
}

const UUID_HEX = /^[0-9a-f]{32}$/;

/** Django's UUID parsing (dashes and braces optional, any case) to the canonical form, or undefined. */
export function toUuid(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const hex = raw.trim().toLowerCase().replace(/^urn:uuid:/, '').replace(/[{}-]/g, '');
  if (!UUID_HEX.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Python's `datetime.isoformat()` of a UTC datetime: microseconds and `+00:00`. */
export function isoformat(date: Date | null): string | null {
  if (date === null) return null;
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', '+00:00') : iso.replace(/\.(\d{3})Z$/, '.$1000+00:00');
}
