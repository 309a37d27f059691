// npm's prepack and postpack: what `npm pack` and `npm publish` ship is the build, with a
// package.json that names no source file.
//   prepack:  builds (unless PREBUILT=1, for the tests, which have just built), then removes the
//             "imports" map (it points at ./src/*.ts, which is not shipped; the build has resolved
//             every #import already) and the repository's scripts, keeping the original beside it;
//   postpack: puts the original back.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const MANIFEST = 'package.json';
const ORIGINAL = 'package.json.prepack';
const step = process.argv[2];

if (step === 'prepack') {
  if (existsSync(ORIGINAL))
    throw new Error(`${ORIGINAL} exists: an earlier pack did not finish; restore it with "node scripts/publish-manifest.mjs postpack"`);
  if (process.env.PREBUILT !== '1') execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 2, 2] }); // stderr: npm pack --json owns stdout
  if (!existsSync('dist/index.js')) throw new Error('dist/ is missing: nothing to pack');
  const text = readFileSync(MANIFEST, 'utf8');
  const manifest = JSON.parse(text);
  delete manifest.imports;
  delete manifest.scripts; // the repository's own; the tarball has nothing to run
  writeFileSync(ORIGINAL, text);
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
} else if (step === 'postpack') {
  if (existsSync(ORIGINAL)) renameSync(ORIGINAL, MANIFEST);
} else {
  throw new Error('usage: node scripts/publish-manifest.mjs prepack|postpack');
}
