/**
 * Nest and rxjs, loaded so that a missing one is a clear error saying what to install (a static
 * import fails before any code of ours runs): by `import()` in the ESM build, by `require` in the
 * CommonJS one (`#nest-peers`).
 */
export { nest, operators, rxjs } from '#nest-peers';
