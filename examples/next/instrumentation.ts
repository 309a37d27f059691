// With no POSTHOG_* variables the example starts the embedded emulator: no account needed.
// The Node-only part sits in its own file so edge bundles never include it (Next.js's pattern).
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./instrumentation-node');
}
