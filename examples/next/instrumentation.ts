// With no POSTHOG_* variables the example starts the embedded emulator: no account needed.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.POSTHOG_PROJECT_API_KEY) return;
  const { startEmulator, EMULATOR_DEFAULTS } = await import('posthog-conversations/testing');
  const emulator = await startEmulator({ port: Number(process.env.EMULATOR_PORT ?? 0) });
  process.env.POSTHOG_SECRET_API_TOKEN = EMULATOR_DEFAULTS.secretApiToken;
  process.env.POSTHOG_PROJECT_API_KEY = EMULATOR_DEFAULTS.projectApiKey;
  process.env.POSTHOG_HOST = emulator.url;
  console.log(`Against the embedded emulator at ${emulator.url} (no account needed)`);
}
