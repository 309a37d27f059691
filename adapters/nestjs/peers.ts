/**
 * Nest and rxjs, loaded with `require` so that a missing one is a clear error saying what to
 * install (a static import fails before any code of ours runs). Nest and Nest's own rxjs are
 * CommonJS to Nest, so this is the same module instance the app's imports get.
 */
import { createRequire } from 'node:module';
import { ConfigurationError } from '../../src/basics/errors.js';

const load = createRequire(import.meta.url);

function peer<T>(name: string, get: () => T): T {
  try {
    return get();
  } catch (error) {
    const missing =
      (error as { code?: unknown }).code === 'MODULE_NOT_FOUND' &&
      String((error as Error).message).startsWith(`Cannot find module '${name}'`);
    if (!missing) throw error;
    throw new ConfigurationError(
      `posthog-conversations/nestjs needs ${name}, which is not installed here. Install Nest's packages: npm install @nestjs/common @nestjs/core rxjs reflect-metadata`,
    );
  }
}

export const nest: typeof import('@nestjs/common') = peer('@nestjs/common', () => load('@nestjs/common'));
export const rxjs: typeof import('rxjs') = peer('rxjs', () => load('rxjs'));
