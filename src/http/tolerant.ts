/**
 * Response schemas that survive a newer or stranger server. PostHog's serializers can send values
 * our types did not foresee (a null from a nullable column, a new field type); failing the whole
 * call for one of them would cost the user a page of tickets or every message of a thread. So a
 * response object is checked twice: fully, and, when that fails, for the few fields this SDK reads
 * itself (ids for paging, timestamps for message cursors). If those hold, the object is kept exactly
 * as PostHog sent it and what did not fit is reported; only a body the SDK cannot use at all fails.
 */
import * as z from 'zod';
import { logLimit } from '../basics/log-limit.js';

/** What a 2xx answer held that did not fit the SDK's types, though the call still succeeded. */
export interface UnexpectedResponseReport {
  /** `GET`, `POST`, `PATCH`. */
  method: string;
  /** The request path (no query string, no key). */
  path: string;
  status: number;
  /** One line per field, naming types, never values: `a message: content: expected string, received null`. */
  problems: string[];
}

// Schemas run synchronously, so the parse in progress can collect problems in one place.
let collecting: string[] | undefined;

function describe(error: z.ZodError, label: string): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((key) => (typeof key === 'number' ? '[]' : String(key))).join('.');
    return `${label}: ${path === '' ? '' : `${path}: `}${issue.message.replace(/^Invalid input: /, '')}`;
  });
}

/**
 * An object response: `shape` is everything PostHog's serializer can send (extra fields kept),
 * `essential` the keys this SDK cannot work without. `label` names the object in a report.
 */
export function responseObject<T extends z.core.$ZodLooseShape, K extends keyof T & string>(
  label: string,
  shape: T,
  essential: readonly K[] = [],
) {
  const full = z.looseObject(shape);
  const picked: Record<string, z.core.$ZodType> = {};
  for (const key of essential) picked[key] = shape[key]!;
  const minimal = z.looseObject(picked);
  return z.unknown().transform((value, ctx) => {
    const result = full.safeParse(value);
    if (result.success) return result.data;
    if (minimal.safeParse(value).success) {
      collecting?.push(...describe(result.error, label));
      return value as z.output<typeof full>;
    }
    for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: undefined } as never);
    return z.NEVER;
  }) as unknown as z.ZodType<z.output<typeof full>, z.input<typeof full>>;
}

/** Runs `parse` and returns its result with the problems tolerant schemas met on the way. */
export function collectProblems<T>(parse: () => T): { value: T; problems: string[] } {
  const outer = collecting;
  const problems: string[] = [];
  collecting = problems;
  try {
    return { value: parse(), problems };
  } finally {
    collecting = outer;
  }
}

/**
 * The default reporter: one `console.warn` per distinct problem and path kind, at most 200 kinds in
 * a process, so a server that sends the same surprise on every call cannot flood the log.
 */
export function warnOnce(): (report: UnexpectedResponseReport) => void {
  const fresh = logLimit(Number.POSITIVE_INFINITY, 200);
  return (report) => {
    const kinds = report.problems.filter((problem) =>
      fresh(`${report.method} ${report.path.replace(/[0-9a-f-]{32,36}|\d+/gi, ':id')} ${problem}`),
    );
    if (kinds.length === 0) return;
    console.warn(
      `posthog-conversations: ${report.method} ${report.path} answered ${report.status} with data this SDK's types do not expect; ` +
        `kept as PostHog sent it (set onUnexpectedResponse to handle this): ${kinds.join('; ')}`,
    );
  };
}
