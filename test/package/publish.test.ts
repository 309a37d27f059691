// What a release ships: `npm publish --dry-run` in a fresh clone of this commit (no dist/, as on a
// release machine), which must build through prepack, keep the bin, and leave the clone unchanged.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './run-node.js';

let clone: string;
let published: { files: { path: string }[]; bundled: unknown[] };
let warnings: string;

beforeAll(() => {
  clone = join(mkdtempSync(join(tmpdir(), 'posthog-conversations-publish-')), 'repo');
  execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${ROOT}`, clone]);
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  expect(existsSync(join(clone, 'dist'))).toBe(false);
  const run = spawnSync('npm', ['publish', '--dry-run', '--json', '--no-audit', '--no-fund'], { cwd: clone, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  published = (JSON.parse(run.stdout) as Record<string, typeof published>)['posthog-conversations']!;
  warnings = run.stderr
    .split('\n')
    .filter((line) => line.startsWith('npm warn') && !line.includes('requires you to be logged in'))
    .join('\n');
}, 240_000);
afterAll(() => rmSync(join(clone, '..'), { recursive: true, force: true }));

describe('npm publish from a fresh clone', () => {
  it('builds through prepack and ships the build, the bin, the changelog, the licence and the readme', () => {
    const paths = published.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.cts',
        'dist/edge/index.js',
        'dist/cli.js',
        'bin/posthog-conversations.js',
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'package.json',
      ]),
    );
    expect(
      paths.filter(
        (path) =>
          /^(src|test|adapters|scripts)\//.test(path) || (path.endsWith('.ts') && !path.endsWith('.d.ts') && !path.endsWith('.d.cts')),
      ),
    ).toEqual([]);
  });

  it('has nothing npm would correct or warn about (a bin it cannot find, a path it rewrites)', () => {
    expect(warnings).toBe('');
  });

  it('leaves the clone as it was: package.json restored after the pack, nothing left behind', () => {
    const status = execFileSync('git', ['status', '--porcelain', '--ignored=no'], { cwd: clone, encoding: 'utf8' });
    expect(status.split('\n').filter((line) => line !== '' && !line.endsWith('node_modules'))).toEqual([]);
    expect(existsSync(join(clone, 'package.json.prepack'))).toBe(false);
    expect(JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8'))).toHaveProperty('imports');
  });
});

describe('the release workflow', () => {
  const workflow = readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8');
  it('publishes with changesets, after the tests, with npm provenance', () => {
    expect(workflow).toMatch(/uses: changesets\/action@v1/);
    expect(workflow).toMatch(/publish: npm run release/);
    expect(workflow.indexOf('npm test')).toBeLessThan(workflow.indexOf('changesets/action'));
    expect(workflow).toMatch(/id-token: write/);
    expect(workflow).toMatch(/NPM_CONFIG_PROVENANCE: "true"/);
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.release).toBe('changeset publish');
  });
});
