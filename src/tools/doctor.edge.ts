/**
 * `diagnose` in the edge build: the same name and types, but it needs the Node.js API clients, so
 * calling it on an edge runtime fails at once with a clear message.
 */
import { ConfigurationError } from '../basics/errors.js';
import type { DiagnoseOptions, Diagnosis } from './doctor.js';

export type { DiagnoseOptions, Diagnosis, DoctorCheck } from './doctor.js';

export async function diagnose(_options: DiagnoseOptions): Promise<Diagnosis> {
  throw new ConfigurationError(
    'diagnose needs Node.js (20.18.1+): it calls PostHog with the API clients. Run it from a Node.js server, a deploy step, or `npx posthog-conversations doctor`.',
  );
}
