// `posthog-conversations doctor`, the built CLI, against the emulator running in this process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator } from '../../src/testing/index.js';
import { ROOT } from '../package/run-node.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ throttles: false, teams: [{ settings: { widget_enabled: true } }] });
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

describe('posthog-conversations doctor', () => {
  // Asynchronous: the emulator answering the CLI runs in this process.
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [join(ROOT, 'dist/cli.js'), 'doctor', ...args],
        { env: { PATH: process.env.PATH ?? '', ...env } },
        (_error, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
      );
    });
  const env = () => ({
    POSTHOG_HOST: emulator.url,
    POSTHOG_PROJECT_API_KEY: D.projectApiKey,
    POSTHOG_SECRET_API_TOKEN: D.secretApiToken,
    POSTHOG_WIDGET_TOKEN: D.publicToken,
  });

  it('prints a ✓ per check and exits 0 on a healthy setup', async () => {
    const result = await run(['--origin', 'https://app.example.com'], env());
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^✓ host: /);
    expect(result.stdout).toContain('✓ secret-verifies: the server accepts identity hashes signed with this secret');
  });

  it('prints ✗ with the fix and exits 1 when a check fails, never printing a key', async () => {
    const result = await run([], { ...env(), POSTHOG_SECRET_API_TOKEN: 'phs_ZZZ_wrong_secret_value' });
    expect(result.status).toBe(1);
    // The emulator's own project: the fix is the emulator's secret, named, not printed.
    expect(result.stdout).toMatch(/✗ secret-verifies: .*\n {4}fix: Set POSTHOG_SECRET_API_TOKEN to the emulator's secret/);
    expect(result.stdout).not.toContain(D.secretApiToken);
    expect(result.stdout + result.stderr).not.toMatch(/ZZZ|emulator_widget_public_token|phx_emulator/);
  });

  it('--json prints { ok, checks }', async () => {
    const result = await run(['--json'], env());
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      checks: expect.arrayContaining([expect.objectContaining({ id: 'secret-verifies', ok: true })]),
    });
  });

  it('exits 2 without a project key, or with an unknown option', async () => {
    expect(await run([], { POSTHOG_HOST: emulator.url })).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^error: Set POSTHOG_PROJECT_API_KEY/),
    });
    expect(await run(['--port', '1'], env())).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/unknown option --port for doctor/),
    });
  });
});
