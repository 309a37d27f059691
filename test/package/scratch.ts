// Installing what users install: the packed tarball into a fresh project, with plain `npm install`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './run-node.js';

/** The tarball `npm pack` made of this build (by the global setup, once per test run). */
export const TARBALL = join(ROOT, 'test-results/pack/posthog-conversations.tgz');

const npm = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    stdio: 'pipe',
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

/** Packs dist/ as it would be published. */
export function packTarball(): string {
  const dir = join(ROOT, 'test-results/pack');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // PREBUILT: npm test has just built dist/, so prepack need not build it again.
  const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], ROOT, { PREBUILT: '1' })) as [{ filename: string }];
  execFileSync('mv', [join(dir, filename), TARBALL]);
  return TARBALL;
}

/**
 * A fresh project in the system's temporary folder (outside this repository, so nothing resolves
 * from its node_modules) with the tarball and `dependencies` installed by a plain `npm install`,
 * exactly as a user's would be (npm's cache makes a re-run quick).
 */
export function scratchProject(
  name: string,
  dependencies: Record<string, string> = {},
  packageJson: Record<string, unknown> = { type: 'module' },
): string {
  const dir = join(tmpdir(), 'posthog-conversations-scratch', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: `scratch-${name}`,
    private: true,
    ...packageJson,
    dependencies: { 'posthog-conversations': `file:${TARBALL}`, ...dependencies },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  npm(['install', '--prefer-offline'], dir);
  return dir;
}

/** Installs a folder's own lock file when it is new or changed (the framework and runtime matrices). */
export function installFromLock(dir: string): void {
  const marker = join(dir, 'node_modules/.package-lock.json');
  if (existsSync(marker) && statSync(join(dir, 'package-lock.json')).mtimeMs <= statSync(marker).mtimeMs) return;
  npm(['ci'], dir);
}
