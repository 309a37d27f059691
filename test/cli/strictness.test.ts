// The CLI refuses what it would otherwise ignore (the hostile-input suite's CLI part), on the built CLI.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECRET } from '../fixtures.js';
import { ROOT } from '../package/run-node.js';

describe('the CLI refuses what would be silently ignored', () => {
  const cli = (args: string[]) => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', POSTHOG_SECRET_API_TOKEN: SECRET },
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('hash --ttl without --email is a usage error, not a hash', () => {
    const result = cli(['hash', 'user_1', '--ttl', '600']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/--ttl is the email claim's lifetime: give --email too/);
  });

  it.each(['99999999999999999999999', '86401', '0'])('hash --email --ttl %s is refused, with no hash printed', (ttl) => {
    const result = cli(['hash', 'user_1', '--email', 'a@example.com', '--ttl', ttl]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});
