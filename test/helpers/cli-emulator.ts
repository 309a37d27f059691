// `posthog-conversations emulator` as a reader starts it, from the built CLI: running until stopped,
// with the `export` lines it printed read back as the settings it gives.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ROOT } from '../package/run-node.js';

export interface CliEmulator {
  /** What it printed, up to "Stop it with Ctrl-C." */
  output: string;
  /** Each `export NAME=value` line it printed. */
  settings: Record<string, string>;
  child: ChildProcess;
  /** SIGTERM, as Ctrl-C's sibling; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts the CLI emulator (with `args`) and waits for its settings; rejects with its stderr if it exits first. */
export async function startCliEmulator(args: string[] = ['--port', '0']): Promise<CliEmulator> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'emulator', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = once(child, 'exit');
  const died = exited.then(([code]) => {
    throw new Error(`posthog-conversations emulator exited ${code} before printing its settings:\n${stderr}`);
  });
  died.catch(() => undefined); // it also exits when stopped: only the wait below cares
  let output = '';
  while (!output.includes('Ctrl-C')) output += String((await Promise.race([once(child.stdout!, 'data'), died]))[0]);
  const settings = Object.fromEntries([...output.matchAll(/^ {2}export (\w+)=(\S+)$/gm)].map(([, name, value]) => [name!, value!]));
  return {
    output,
    settings,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return (await exited)[0] as number | null;
    },
  };
}
