/**
 * `doctor` pointed at this package's emulator: the fixes PostHog's settings pages would need are
 * the emulator's options instead. It is recognised by its published project key, which no real
 * project has.
 */
import { EMULATOR_DEFAULTS as D } from '../testing/emulator/defaults.js';
import type { DoctorCheck } from './doctor.js';

// Keys are named, never printed: doctor prints no key, even a published one.
const PRINTED = (name: string) => `the one \`posthog-conversations emulator\` prints, EMULATOR_DEFAULTS.${name}`;

/** The emulator's fix for each check that otherwise sends the user to one of PostHog's settings pages. */
const FIXES: Record<string, string> = {
  conversations:
    "The emulator's team has conversations off: start it with `startEmulator({ teams: [{ conversationsEnabled: true }] })` (the default).",
  widget:
    "The emulator's team starts with the widget off, as a new PostHog project does: `posthog-conversations emulator` turns it on; with `startEmulator`, pass `startEmulator({ teams: [{ settings: { widget_enabled: true } }] })`, or set `emulator.state.teams[0].settings.widget_enabled = true`.",
  'public-token': `Set POSTHOG_WIDGET_TOKEN to the emulator's token: ${PRINTED('publicToken')} (until \`emulator.regeneratePublicToken()\`).`,
  origin:
    "Allow it with `startEmulator({ teams: [{ settings: { widget_domains: ['<your origin>'] } }] })`, or leave widget_domains empty (every domain).",
  'secret-shape': `Set POSTHOG_SECRET_API_TOKEN to the emulator's secret: ${PRINTED('secretApiToken')}.`,
  'secret-verifies': `Set POSTHOG_SECRET_API_TOKEN to the emulator's secret: ${PRINTED('secretApiToken')} (until \`emulator.rotateSecretToken()\`).`,
  'personal-key': `Set POSTHOG_PERSONAL_API_KEY to the emulator's personal key, which has every scope: ${PRINTED('personalApiKey')}.`,
  'personal-key-project': `Set POSTHOG_PROJECT_ID=${D.projectId}, the emulator's project.`,
  'personal-key-scopes': `Set POSTHOG_PERSONAL_API_KEY to the emulator's personal key, which has every scope: ${PRINTED('personalApiKey')}.`,
};
/** Where doctor's own fixes send the user in PostHog: only such a fix is replaced. */
const POSTHOG_PAGE = /PostHog →|account settings|PostHog project URL/;
const EMULATOR_KEY = new RegExp(`^${D.projectApiKey}(_\\d+)?$`);

/** True for the project keys emulator teams start with (the default team's, and `_2`, `_3`... for the others). */
export const isEmulatorProject = (projectApiKey: string): boolean => EMULATOR_KEY.test(projectApiKey);

/**
 * The check with the emulator's fix in place of one that points at PostHog's settings. Other fixes
 * stay (a timeout's "run it again", a malformed --origin's), and so does a missing public token,
 * which no emulator option mends (only a token that differs from POSTHOG_WIDGET_TOKEN is).
 */
export function withEmulatorFix(check: DoctorCheck): DoctorCheck {
  const fix = FIXES[check.id];
  if (check.ok || check.skipped || fix === undefined || !POSTHOG_PAGE.test(check.fix ?? '')) return check;
  if (check.id === 'public-token' && !check.message.includes('POSTHOG_WIDGET_TOKEN')) return check;
  return { ...check, fix };
}
