// How a test runs each kind of marked block, as a reader would: Node.js modules at the repository
// (where `posthog-conversations` resolves to the build through the exports map), shell commands with
// `npx posthog-conversations` resolving to the built CLI (what an install links), against the
// emulator the CLI starts, with the settings it prints.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signalGroup } from '../helpers/process-group.js';
import { ROOT } from '../package/run-node.js';
import type { Block } from './blocks.js';

export const WORK = join(ROOT, 'test-results/docs');
export const CLI = join(ROOT, 'dist/cli.js');

/** What a block's process sees: the emulator's printed settings, and the services a block names. */
export type RunEnv = Record<string, string>;

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A `bin/npx` that runs this repository's CLI for `npx posthog-conversations`, and npm's npx for anything else. */
export function npxShim(): string {
  const realNpx = join(process.execPath, '..', 'npx');
  const bin = join(WORK, 'bin');
  mkdirSync(bin, { recursive: true });
  const shim = join(bin, 'npx');
  writeFileSync(
    shim,
    `#!/bin/sh\nif [ "$1" = posthog-conversations ]; then shift; exec "${process.execPath}" "${CLI}" "$@"; fi\nexec "${realNpx}" "$@"\n`,
  );
  chmodSync(shim, 0o755);
  return bin;
}

/**
 * Runs a command in its own process group and resolves once its output is all read ('close'),
 * with whatever it left running in its group killed; never rejects.
 */
export function run(
  command: string,
  args: string[],
  env: RunEnv,
  options: { cwd?: string | undefined; timeoutMs: number; onStdout?: (text: string, pid: number | undefined) => void },
): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      options.onStdout?.(stdout, child.pid);
    });
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}\nspawn failed: ${error.message}` });
    });
    child.once('exit', () => signalGroup(child.pid, 'SIGKILL'));
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs `command` until its output shows `ready`, then stops it as Ctrl-C does (SIGINT to its group). */
export async function runUntil(command: string, env: RunEnv, ready: string, timeoutMs: number): Promise<Outcome & { ready: boolean }> {
  let seen = false;
  const outcome = await run('bash', ['-c', command], env, {
    timeoutMs,
    onStdout: (stdout, pid) => {
      if (seen || !stdout.includes(ready)) return;
      seen = true;
      signalGroup(pid, 'SIGINT');
    },
  });
  return { ...outcome, ready: seen };
}

/**
 * What a framework fragment needs around it: `app`, made as the framework's docs make it, before the
 * block (imports are hoisted, so the block's own come first either way); after it, the app started
 * and stopped, so a block that mounts something broken fails.
 */
const AROUND: Record<string, { before: string; after: string }> = {
  '': { before: '', after: '' },
  express: {
    before: "import express from 'express';\nconst app = express();\n",
    // One request through it, so a middleware that fails on a request fails the block.
    after:
      "\nconst server = await new Promise((resolve, reject) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)).once('error', reject); });\nconst answer = await fetch('http://127.0.0.1:' + server.address().port + '/');\nif (answer.status >= 500) throw new Error('the app answered ' + answer.status);\nawait new Promise((resolve) => server.close(resolve));\n",
  },
  fastify: {
    before: "import Fastify from 'fastify';\nconst app = Fastify();\n",
    after:
      "\nconst answer = await app.inject({ method: 'GET', url: '/' });\nif (answer.statusCode >= 500) throw new Error('the app answered ' + answer.statusCode);\nawait app.close();\n",
  },
  hono: {
    before: "import { Hono } from 'hono';\nconst app = new Hono();\n",
    after: "\nconst answer = await app.request('/');\nif (answer.status >= 500) throw new Error('the app answered ' + answer.status);\n",
  },
  nest: {
    before: "import 'reflect-metadata';\nimport { NestFactory } from '@nestjs/core';\n",
    after:
      "\nconst nest = await NestFactory.create(AppModule, { logger: false });\nawait nest.listen(0, '127.0.0.1');\nawait nest.close();\n",
  },
};

/** Writes the block as a module with what its framework needs around it; `process.exit` at the end, as a script that holds open clients would need. */
export function moduleFile(block: Block, framework: string): string {
  const around = AROUND[framework];
  if (!around) throw new Error(`${block.doc}:${block.line}: no runner for the framework "${framework}"`);
  mkdirSync(WORK, { recursive: true });
  const name = `${block.doc.replace(/[/.]/g, '-')}-${block.line}.${block.lang === 'ts' ? 'mts' : 'mjs'}`;
  const file = join(WORK, name);
  writeFileSync(file, `${around.before}${block.code}${around.after}\nprocess.exit(0);\n`);
  return file;
}

/** The values a block's `console.log(...); // value` comments promise, in order (empty when it promises none). */
export function promisedOutput(code: string): string[] {
  return [...code.matchAll(/^\s*console\.log\(.*\);?\s*\/\/ (.+)$/gm)].map(([, value]) => value!.trim());
}
