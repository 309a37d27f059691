// The code blocks of the README and docs/, each with the marker that says how a test runs it:
// `<!-- file: path -->` (the block is that file, which a test runs) or `<!-- run: runner args -->`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../package/run-node.js';

export type Marker = { kind: 'file'; path: string } | { kind: 'run'; runner: string; args: string } | undefined;

export interface Block {
  /** The document, relative to the repository (`README.md`, `docs/webhooks.md`). */
  doc: string;
  /** Line of the opening fence, 1-based. */
  line: number;
  lang: string;
  code: string;
  marker: Marker;
}

/** README.md and every Markdown file of docs/ (not the generated API reference). */
export const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

function markerOf(line: string | undefined): Marker {
  const file = /^<!-- file: (\S+) -->$/.exec(line ?? '');
  if (file) return { kind: 'file', path: file[1]! };
  const run = /^<!-- run: (\S+)(?: (.*?))? -->$/.exec(line ?? '');
  return run ? { kind: 'run', runner: run[1]!, args: run[2] ?? '' } : undefined;
}

/** Every fenced block of `doc`, with the marker on the line just above its fence. */
export function blocksOf(doc: string): Block[] {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((line, j) => j > i && line === '```');
    if (end === -1) throw new Error(`${doc}:${i + 1}: a code block that never closes`);
    blocks.push({ doc, line: i + 1, lang: open[1]!, code: `${lines.slice(i + 1, end).join('\n')}\n`, marker: markerOf(lines[i - 1]) });
    i = end;
  }
  return blocks;
}
