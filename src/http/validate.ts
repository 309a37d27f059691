/** zod at the SDK's boundaries: inputs become ValidationErrors before any I/O, responses are checked. */
import type * as z from 'zod';
import { ValidationError } from '../basics/errors.js';
import { InvalidResponseError } from './errors.js';
import { redactValue } from './redact.js';
import { collectProblems, type UnexpectedResponseReport } from './tolerant.js';

function describeIssues(error: z.ZodError, prefix: string): { field: string; message: string } {
  // A misspelt key is usually why a required field is missing too: report it first.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') path.push(issue.keys[0]!);
  const joined = path.join('.');
  const field = joined === '' ? prefix : prefix === '' ? joined : `${prefix}.${joined}`;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  const text = issue.code === 'unrecognized_keys' ? issue.message : `${field || 'input'}: ${issue.message}`;
  return { field: field || 'input', message: `${text}${more}` };
}

/** Parses caller input; a failure is a {@link ValidationError} naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, name = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { field, message } = describeIssues(result.error, name);
  throw new ValidationError(field, message, { cause: result.error });
}

/**
 * Parses a 2xx response body. A field that surprised a tolerant schema is kept and passed to
 * `report`; a body the SDK cannot use is an {@link InvalidResponseError}.
 */
export function parseResponse<S extends z.ZodType>(
  schema: S,
  body: unknown,
  where: { method: string; path: string; status: number },
  secrets: readonly string[] = [],
  report?: (report: UnexpectedResponseReport) => void,
): z.output<S> {
  const { value: result, problems } = collectProblems(() => schema.safeParse(body));
  if (result.success) {
    if (problems.length > 0) report?.({ ...where, problems });
    return result.data;
  }
  const { message } = describeIssues(result.error, '');
  throw new InvalidResponseError(`${where.method} ${where.path} answered ${where.status} with an unexpected body (${message})`, {
    status: where.status,
    path: where.path,
    body: redactValue(body, secrets),
    cause: result.error,
  });
}
