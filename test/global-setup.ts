import { existsSync } from 'node:fs';

// Package, edge and CLI tests run the built files, exactly what users install.
export default function setup(): void {
  if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`.');
  }
}
