/**
 * A small checker for the flat JSON shapes of webhook events: each field is described by a string
 * (`'string'`, `'number|null'`, `'boolean?'`, `'=team'` for a literal), and the TypeScript type is
 * derived from the same description. Extra fields are allowed and kept, as PostHog adds them.
 */

/** How one field is described: a kind, then `|null` if it may be null, then `?` if it may be absent. */
export type FieldSpec = string;
/** A JSON object's described fields. */
export type Shape = Readonly<Record<string, FieldSpec>>;

type Kind<S extends string> = S extends 'string'
  ? string
  : S extends 'number'
    ? number
    : S extends 'boolean'
      ? boolean
      : S extends 'string[]'
        ? string[]
        : S extends 'number[]'
          ? number[]
          : S extends 'record'
            ? Record<string, string>
            : S extends 'object'
              ? Record<string, unknown>
              : S extends 'actor'
                ? 'user' | 'system' | 'external' | 'customer' | (string & {})
                : S extends `=${infer L}`
                  ? L
                  : unknown;
type Nullable<S extends string> = S extends `${infer K}|null` ? Kind<K> | null : Kind<S>;
type FieldOutput<S extends string> = S extends `${infer T}?` ? Nullable<T> : Nullable<S>;
type Optional<T extends Shape> = { [K in keyof T]: T[K] extends `${string}?` ? K : never }[keyof T];

/** The type a value has once it fits the shape. */
export type ShapeOutput<T extends Shape> = { -readonly [K in Exclude<keyof T, Optional<T>>]: FieldOutput<T[K]> } & {
  -readonly [K in Optional<T>]?: FieldOutput<T[K]>;
} & { [extra: string]: unknown };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function fitsKind(value: unknown, kind: string): boolean {
  switch (kind) {
    case 'string':
    case 'actor':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'number[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item));
    case 'record':
      return isObject(value) && Object.values(value).every((item) => typeof item === 'string');
    case 'object':
      return isObject(value);
    case 'unknown':
      return true;
    default:
      return kind.startsWith('=') && value === kind.slice(1);
  }
}

/** Whether `spec` allows `value` (`undefined` standing for an absent field). */
export function fitsField(value: unknown, spec: FieldSpec): boolean {
  const optional = spec.endsWith('?');
  const kind = optional ? spec.slice(0, -1) : spec;
  const nullable = kind.endsWith('|null');
  if (value === undefined) return optional;
  if (value === null) return nullable || kind === 'unknown';
  return fitsKind(value, nullable ? kind.slice(0, -5) : kind);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'number' && !Number.isFinite(value) ? 'a non-finite number' : `a ${typeof value}`;
}

/**
 * What in `value` does not fit `shape`, one line per field (`customer_name: expected string|null?,
 * got a number`), naming types, never values (a value may be personal data). Empty when it fits.
 */
export function shapeProblems(value: unknown, shape: Shape, where: string): string[] {
  if (!isObject(value)) return [`${where}: expected an object, got ${describeValue(value)}`];
  const problems: string[] = [];
  for (const field in shape) {
    const spec = shape[field]!;
    const fieldValue = Object.hasOwn(value, field) ? value[field] : undefined;
    if (!fitsField(fieldValue, spec)) problems.push(`${where}.${field}: expected ${spec}, got ${describeValue(fieldValue)}`);
  }
  return problems;
}

/** Whether `value` is an object whose described fields all fit (extra fields are fine). */
export function fitsShape(value: unknown, shape: Shape): boolean {
  if (!isObject(value)) return false;
  for (const field in shape) {
    if (!fitsField(Object.hasOwn(value, field) ? value[field] : undefined, shape[field]!)) return false;
  }
  return true;
}
