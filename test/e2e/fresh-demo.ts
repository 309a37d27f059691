// The demo as a newcomer starts it: a fresh clone of this repository, the README's demo command
// run as written (npm ci included), with port 3000 already taken. The clone is of HEAD: commit
// before running this locally, or it tests the last commit.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signalGroup } from '../helpers/process-group.js';
import { ROOT } from '../package/run-node.js';

/** The README's two commands, in order: `[demo, test]`, each without its comment. */
export function readmeCommands(): [string, string] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /## Two commands\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  const lines = (block ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/\s+#.*$/, ''));
  if (lines.length !== 2) throw new Error(`the README's "Two commands" block has ${lines.length} commands`);
  return [lines[0]!, lines[1]!];
}

/** Holds 127.0.0.1:port (or finds it already held by someone else): the port is busy either way. */
export async function occupy(port: number): Promise<{ release: () => Promise<void> }> {
  const server: Server = createServer();
  const held = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  return { release: () => (held ? new Promise((resolve) => server.close(() => resolve())) : Promise.resolve()) };
}

export interface RunningDemo {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Clones HEAD into a temporary folder and runs `command` there with a clean environment (no POSTHOG_*, no PORT). */
export async function demoFromFreshClone(command: string, timeoutMs: number): Promise<RunningDemo> {
  const dir = mkdtempSync(join(tmpdir(), 'demo-clone-'));
  let child: ChildProcess | undefined;
  const exited = () => child === undefined || child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    try {
      if (!exited()) {
        const gone = new Promise((resolve) => child!.once('exit', resolve));
        signalGroup(child!.pid, 'SIGTERM');
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
      signalGroup(child?.pid, 'SIGKILL'); // whatever of the group is left (npm's node, the demo)
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  let output = '';
  try {
    execFileSync('git', ['clone', '--quiet', ROOT, dir]);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, CI: 'true' };
    // Its own process group, so stopping it stops npm and the node process it started.
    child = spawn('bash', ['-c', command], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.once('error', (error) => (output += `\nspawn failed: ${error.message}`));
    child.stdout!.on('data', (chunk) => (output += String(chunk)));
    child.stderr!.on('data', (chunk) => (output += String(chunk)));
    const deadline = Date.now() + timeoutMs;
    let url: string | undefined;
    // The whole line: a port split across two chunks must not be read half.
    while ((url = /Express example: (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output)?.[1]) === undefined) {
      if (exited() || Date.now() > deadline)
        throw new Error(
          `the demo did not start (${exited() ? `exit ${child.exitCode ?? child.signalCode}` : 'timed out'}):\n${output.slice(-4000)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { url, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
