/**
 * Nest and rxjs for the CommonJS build (`#nest-peers` under tsup's `posthog-cjs` condition), loaded
 * with `require` so that a missing one is a clear error saying what to install. This is the same
 * module instance the app's own `require`s get.
 */
import { createRequire } from 'node:module';
import { peerError } from './peer-error.js';

const load = createRequire(import.meta.url);

function peer<T>(name: string): T {
  try {
    return load(name) as T;
  } catch (error) {
    throw peerError(name, error);
  }
}

export const nest: typeof import('@nestjs/common') = peer('@nestjs/common');
export const rxjs: typeof import('rxjs') = peer('rxjs');
// From rxjs/operators, which every rxjs 7 has (the root exports operators only from 7.2).
export const operators: typeof import('rxjs/operators') = peer('rxjs/operators');
