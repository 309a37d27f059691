/** The error for a missing Nest peer: what to install, instead of a module resolution trace. */
import { ConfigurationError } from '../../src/basics/errors.js';

/** `error` if it is not "this peer is not installed"; otherwise a ConfigurationError saying what to install. */
export function peerError(name: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const message = String((error as Error | null)?.message);
  const missing =
    (code === 'MODULE_NOT_FOUND' && message.startsWith(`Cannot find module '${name}'`)) ||
    (code === 'ERR_MODULE_NOT_FOUND' && message.includes(`'${name}'`));
  if (!missing) return error;
  return new ConfigurationError(
    `posthog-conversations/nestjs needs ${name}, which is not installed here. Install Nest's packages: npm install @nestjs/common @nestjs/core rxjs reflect-metadata`,
  );
}
