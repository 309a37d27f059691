// Every example's start: with no POSTHOG_* variables, start the embedded emulator and point the
// variables at it, so the example runs with no account. Import it before the example's posthog.mjs.
import { EMULATOR_DEFAULTS, startEmulator } from 'posthog-conversations/testing';

const real = Boolean(process.env.POSTHOG_SECRET_API_TOKEN && process.env.POSTHOG_PROJECT_API_KEY);
export const emulator = real
  ? undefined
  : await startEmulator({ port: Number(process.env.EMULATOR_PORT ?? 0), teams: [{ settings: { widget_enabled: true } }] });
if (emulator) {
  process.env.POSTHOG_SECRET_API_TOKEN = EMULATOR_DEFAULTS.secretApiToken;
  process.env.POSTHOG_PROJECT_API_KEY = EMULATOR_DEFAULTS.projectApiKey;
  process.env.POSTHOG_HOST = emulator.url;
  process.env.POSTHOG_WEBHOOK_SECRET = EMULATOR_DEFAULTS.webhookSecret;
  process.env.POSTHOG_PERSONAL_API_KEY = EMULATOR_DEFAULTS.personalApiKey;
  process.env.POSTHOG_PROJECT_ID = String(EMULATOR_DEFAULTS.projectId);
}

/** What the examples print once they listen: the URL, and what they run against. */
export function announce(name, url) {
  console.log(`${name} example: ${url}`);
  console.log(
    emulator
      ? `Against the embedded emulator at ${emulator.url} (no account needed)`
      : `Against PostHog at ${process.env.POSTHOG_HOST ?? 'https://us.i.posthog.com'}`,
  );
}
