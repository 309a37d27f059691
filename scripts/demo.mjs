// `npm run demo`: check the port first (one line if it is taken), build the package quietly (its
// output only if it fails), then start the Express example against the embedded emulator. One line
// per step, then the URL.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PORT, FREE_PORT_INSTEAD, portInUse, portProblem } from '../examples/shared/port.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Whether something already listens on 127.0.0.1:port. */
const taken = (port) =>
  new Promise((resolve) => {
    const probe = createServer()
      .once('error', (error) => resolve(error.code === 'EADDRINUSE'))
      .listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });

const chosen = process.env.PORT;
const problem = portProblem(chosen);
if (problem) {
  console.error(problem);
  process.exit(1);
}
if (chosen === undefined && (await taken(DEFAULT_PORT))) {
  console.log(FREE_PORT_INSTEAD);
  process.env.PORT = '0';
} else if (chosen !== undefined && chosen !== '0' && (await taken(Number(chosen)))) {
  console.error(portInUse(chosen));
  process.exit(1);
}

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
