declare const __SDK_VERSION__: string;

/** This package's version, set at build time (and by the test config). */
export const SDK_VERSION: string = typeof __SDK_VERSION__ === 'string' ? __SDK_VERSION__ : '0.0.0-dev';
