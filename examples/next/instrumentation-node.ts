import { EMULATOR_DEFAULTS, startEmulator } from 'posthog-conversations/testing';

if (!process.env.POSTHOG_PROJECT_API_KEY) {
  const emulator = await startEmulator({ port: Number(process.env.EMULATOR_PORT ?? 0), teams: [{ settings: { widget_enabled: true } }] });
  process.env.POSTHOG_SECRET_API_TOKEN = EMULATOR_DEFAULTS.secretApiToken;
  process.env.POSTHOG_PROJECT_API_KEY = EMULATOR_DEFAULTS.projectApiKey;
  process.env.POSTHOG_HOST = emulator.url;
  process.env.POSTHOG_WEBHOOK_SECRET = EMULATOR_DEFAULTS.webhookSecret;
  console.log(`Against the embedded emulator at ${emulator.url} (no account needed)`);
}
