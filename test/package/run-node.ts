import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs a script in a fresh Node process at the package root, so `posthog-conversations` resolves to
 * dist/ through the exports map. Its stderr is captured (it is in the thrown error's message), never
 * printed: an expected failure's stack trace would look like a broken test run.
 */
export function runNode(script: string, options: { conditions?: string[]; type?: 'module' | 'commonjs' } = {}): string {
  const args = [...(options.conditions ?? []).map((c) => `--conditions=${c}`), `--input-type=${options.type ?? 'module'}`, '-e', script];
  return execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
