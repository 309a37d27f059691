import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureRedisServer } from './helpers/redis.js';
import { packTarball } from './package/scratch.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The end-to-end tests drive Debian's Chromium: install it when it is missing and we can. */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  console.log('Installing Chromium for the end-to-end tests (apt-get install chromium)...');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

// Package, edge and CLI tests run the built files, exactly what users install.
export default function setup(): void {
  if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`.');
  }
  ensureChromium();
  ensureRedisServer(); // the BullMQ recipe runs against a real Redis
  packTarball(); // the tarball the install, runtime and size tests use
}
