// The layers of docs/architecture.md, kept true: every relative import in src/ and adapters/ goes
// to a layer its own layer may use. A new edge is a decision: make it in the table and the doc.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** What each layer may import, beside itself (identity's files named where only some are allowed). */
const ALLOWED: Record<string, readonly string[]> = {
  'src/basics': [],
  'src/identity': ['src/basics'],
  'src/webhooks': ['src/basics'],
  'src/http': ['src/basics', 'src/identity/rules.ts'],
  'src/widget': ['src/basics', 'src/http'],
  'src/admin': ['src/basics', 'src/http'],
  'src/external': ['src/basics', 'src/http', 'src/admin'],
  'src/client': ['src/basics', 'src/http', 'src/widget', 'src/admin', 'src/external'],
  'src/runtime': ['src/basics'],
  'src/adapter-kit': ['src/basics', 'src/identity', 'src/webhooks'],
  'src/proxy': ['src/basics', 'src/adapter-kit', 'src/identity/identity-for.ts'],
  // The emulator checks signatures with its own node:crypto code: no signing code of the SDK.
  'src/testing': ['src/basics', 'src/http', 'src/widget', 'src/admin', 'src/webhooks', 'src/identity/rules.ts'],
  'src/tools': ['src/basics', 'src/identity', 'src/http', 'src/widget', 'src/admin', 'src/client', 'src/testing', 'src/webhooks'],
  'src/index': [
    'src/basics',
    'src/identity',
    'src/webhooks',
    'src/http',
    'src/widget',
    'src/admin',
    'src/external',
    'src/client',
    'src/adapter-kit',
    'src/tools/doctor.ts',
    'src/deprecated-names',
  ],
  // The root's deprecated aliases (names before PostHog's casing): what the root exports.
  'src/deprecated-names': ['src/basics', 'src/client', 'src/adapter-kit'],
  // Each adapter is a thin map onto the core: never another adapter, the emulator or the CLI.
  adapters: ['src/basics', 'src/identity', 'src/webhooks', 'src/adapter-kit', 'src/client', 'src/proxy'],
};

function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'adapters') return `adapters/${parts[1]}`;
  return parts.length === 2 ? `src/${parts[1]!.replace(/\.ts$/, '')}` : `src/${parts[1]}`;
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

describe('architecture: what may import what', () => {
  const files = [...sources('src'), ...sources('adapters')];

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(60);
  });

  it('every import goes down the layers of docs/architecture.md', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      const allowed = ALLOWED[from.startsWith('adapters/') ? 'adapters' : from];
      expect(allowed, `${file} is in no layer of the table`).toBeDefined();
      for (const [, spec] of readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)) {
        const target = normalize(join(dirname(file), spec!)).replace(/\.js$/, '.ts');
        const to = layerOf(target);
        if (to === from) continue;
        const ok = allowed!.some((layer) => layer === to || layer === target);
        if (!ok) violations.push(`${file} imports ${target} (${from} -> ${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the table and docs/architecture.md name the same layers', () => {
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    for (const layer of Object.keys(ALLOWED)) expect(doc, layer).toContain(`\`${layer}\``);
  });
});
