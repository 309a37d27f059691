import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { ROOT } from '../package/run-node.js';

/** Starts an example as its README says (on a free port) and returns its URL once it prints it. */
export async function startExample(
  args: string[],
  env: Record<string, string> = {},
  options: { cwd?: string; ready?: RegExp } = {},
): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const ready = options.ready ?? /http:\/\/127\.0\.0\.1:\d+/;
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const deadline = Date.now() + 60_000;
  while (!ready.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`example did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: /(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** A port nothing listens on right now (for servers that must be told their port up front). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Logs in through an example's form (`POST /login`, 303) and returns the session cookie to send. */
export async function formLogIn(url: string, user: string): Promise<string> {
  const response = await fetch(`${url}/login`, { method: 'POST', body: new URLSearchParams({ user }), redirect: 'manual' });
  if (response.status !== 303) throw new Error(`login answered ${response.status}`);
  return /sid=[\w-]+/.exec(response.headers.get('set-cookie') ?? '')![0];
}
