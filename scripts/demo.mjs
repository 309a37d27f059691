// `npm run demo`: build the package quietly (its output only if it fails), then start the Express
// example against the embedded emulator. One line per step, then the URL.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();
process.stdout.write('Building the package... ');
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) {
  console.log('failed:\n');
  console.log(`${build.stdout}${build.stderr}`);
  process.exit(build.status ?? 1);
}
console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write('Starting the demo...\n');
await import('../examples/express/server.mjs');
