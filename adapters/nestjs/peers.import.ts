/**
 * Nest and rxjs for the ESM build (and the tests), loaded with `import()` so that a missing one is a
 * clear error saying what to install, and so that an ESM-only Nest (12) loads on every Node.js this
 * package supports (`require` of ESM needs Node.js 20.19). An `import()` of a CommonJS Nest (10, 11)
 * gives the same module instance the app's own imports get.
 */
import { peerError } from './peer-error.js';

async function peer<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw peerError(name, error);
  }
}

export const nest: typeof import('@nestjs/common') = await peer('@nestjs/common', () => import('@nestjs/common'));
export const rxjs: typeof import('rxjs') = await peer('rxjs', () => import('rxjs'));
// From rxjs/operators, which every rxjs 7 has (the root exports operators only from 7.2).
export const operators: typeof import('rxjs/operators') = await peer('rxjs', () => import('rxjs/operators'));
