/**
 * A real `redis-server` (Debian's package) for the idempotency tests: installed when missing and
 * we can (root with apt-get), started on 127.0.0.1 and a free port with nothing persisted, stopped
 * by the test. `stop()` and `start()` again on the same port let a test take Redis away and back.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

/** Installs Debian's redis-server when it is missing (the vitest global set-up calls this once). */
export function ensureRedisServer(): void {
  if (existsSync(REDIS_SERVER)) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall)
    throw new Error(`redis-server is missing at ${REDIS_SERVER}: install it (apt-get install -y redis-server) or set REDIS_SERVER_PATH.`);
  console.log('Installing redis-server for the webhook idempotency tests (apt-get install redis-server)...');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Starts it again (on the same port) after `stop()`. */
  start(): Promise<void>;
  /** Stops it (SIGTERM) and waits for the process to end. */
  stop(): Promise<void>;
}

function launch(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start on port ${port}: ${output}`)), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited (${code}) on port ${port}: ${output}`)));
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.stdout!.on('data', (chunk) => (output += chunk));
    // Ready once it answers on the port.
    const poll = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end('PING\r\n');
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(child);
      });
      socket.once('error', () => setTimeout(poll, 25));
    };
    poll();
  });
}

/** Starts a redis-server on a free port (retrying if another process takes the port first). */
export async function startRedis(): Promise<RedisServer> {
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(port);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  let running: ChildProcess | undefined = child;
  const stop = async () => {
    const current = running;
    running = undefined;
    if (current === undefined || current.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      current.once('exit', () => resolve());
      current.kill('SIGTERM');
    });
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (running === undefined) running = await launch(port);
    },
    stop,
  };
}

/** A redis-server for the whole suite: started before its tests, stopped after them. */
export function redisDuringSuite(): { readonly server: RedisServer } {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedis();
  }, 30_000);
  afterAll(() => server?.stop());
  return {
    get server() {
      if (server === undefined) throw new Error('redis-server is not started yet');
      return server;
    },
  };
}
