/** Team settings (reference §3) and remote config (§5): what the admin UI changes and the browser widget sees. */
import { randomBytes } from 'node:crypto';
import { MANAGED_SETTINGS } from '../../admin/settings.js';
import { authenticateKey, PROJECT_VIEWSET } from './auth.js';
import { drfError, json, notFound, type Answer, type Context } from './http.js';
import type { GuardedContext, RouteSpec } from './routes.js';
import type { EmulatorState } from './state.js';
import type { EmulatorTeam } from './types.js';

// `MANAGED_CONVERSATIONS_SETTINGS` (posthog/api/team/conversations_settings.py): dropped from a
// PATCH, and the only keys a `null` keeps. The SDK refuses them on update from the same list.
const MANAGED: ReadonlySet<string> = new Set(MANAGED_SETTINGS);

export const DEFAULT_WIDGET_SETTINGS = {
  widget_enabled: false,
  widget_greeting_text: 'Hey, how can I help you today?',
  widget_color: '#1d4aff',
  widget_position: 'bottom_right',
  widget_domains: [] as string[],
  widget_require_email: false,
  widget_collect_name: false,
  widget_identification_form_title: 'Before we start...',
  widget_identification_form_description: 'Please provide your details so we can help you better.',
  widget_placeholder_text: 'Type your message...',
};

export const mintPublicToken = (): string => randomBytes(32).toString('base64url');

function projectView(team: EmulatorTeam) {
  return {
    id: team.id,
    name: team.name,
    api_token: team.projectApiKey,
    conversations_enabled: team.conversationsEnabled,
    conversations_settings: { ...team.settings, widget_public_token: team.publicToken },
  };
}

/** A personal-key guard for one `ProjectViewSet` action. */
const action = (name: string) => ({ kind: 'personal-key', viewset: PROJECT_VIEWSET, action: name }) as const;

/** The project (team) API, key self-inspection and remote config. */
export const settingsRoutes: RouteSpec[] = [
  ...['projects', 'environments'].flatMap((scope): RouteSpec[] => {
    const base = `/api/${scope}/:projectId`;
    return [
      {
        method: 'GET',
        path: `${base}/`,
        guard: action('retrieve'),
        handler: (ctx: GuardedContext) => json(200, projectView(ctx.caller.team)),
      },
      {
        method: 'PATCH',
        path: `${base}/`,
        guard: action('partial_update'),
        handler: (ctx: GuardedContext) => update(ctx, ctx.caller.team),
      },
      // In no scope list of ProjectViewSet: PostHog refuses these to every personal API key (a
      // logged-in admin does them in the app). The emulator's own API does them for tests:
      // `emulator.regeneratePublicToken()`, `emulator.rotateSecretToken()`.
      ...['generate_conversations_public_token', 'rotate_secret_token', 'delete_secret_token_backup'].map(
        (name): RouteSpec => ({
          method: name.startsWith('generate') ? 'POST' : 'PATCH',
          path: `${base}/${name}/`,
          guard: action(name),
          handler: () => json(500, {}),
        }),
      ),
    ];
  }),
  // PostHog's key self-inspection: the key's own scopes and reach (no scope needed to read it).
  { method: 'GET', path: '/api/personal_api_keys/@current/', guard: 'none', handler: (ctx) => currentKey(ctx, ctx.state) },
  {
    method: 'GET',
    path: '/array/:projectApiKey/config',
    guard: 'none',
    handler: (ctx) => {
      const team = ctx.state.teams.find((t) => t.projectApiKey === ctx.params.projectApiKey);
      return team ? json(200, remoteConfig(team)) : notFound();
    },
  },
];

/** What a logged-in admin's "regenerate" does: a new public token; the old one stops working at once. */
export function regeneratePublicToken(team: EmulatorTeam): string {
  team.publicToken = mintPublicToken();
  return team.publicToken;
}

/**
 * `Team.rotate_secret_token_and_save`: a new `phs_` secret, the previous one kept as the backup (the
 * old backup is dropped), and the `secret_api_token_rotated` signal syncing the signing secret.
 */
export function rotateSecretToken(team: EmulatorTeam): string {
  team.secretApiTokenBackup = team.secretApiToken;
  team.secretApiToken = `phs_${randomBytes(35).toString('base64url').slice(0, 35)}`;
  team.signingSecret = team.secretApiToken;
  return team.secretApiToken;
}

/** `PersonalAPIKeySerializer` for the key itself: empty scopes shown as `["*"]`, an all-projects key with `scoped_teams: []`. */
function currentKey(ctx: Context, state: EmulatorState): Answer {
  const key = authenticateKey(ctx, state);
  if ('status' in key) return key;
  const index = state.personalApiKeys.indexOf(key);
  return json(200, {
    id: `key-${index + 1}`,
    label: `Emulator key ${index + 1}`,
    value: null,
    mask_value: `${key.key.slice(0, 4)}...${key.key.slice(-4)}`,
    created_at: '2026-01-01T00:00:00Z',
    last_used_at: null,
    user_id: key.user.id,
    scopes: key.scopes.length > 0 ? key.scopes : ['*'],
    scoped_teams: key.teamIds === 'all' ? [] : key.teamIds,
    scoped_organizations: [],
    last_rolled_at: null,
  });
}

const SLACK_FLAGS = ['slack_notify_on_join', 'slack_notify_on_leave', 'slack_nudge_enabled'];

/**
 * `validate_conversations_settings`' cleaning of the keys it knows, in place (the rest is stored as
 * sent): empty widget domains dropped, Slack channel ids deduplicated to non-empty strings, the
 * Slack flags made booleans, `bot_reply` kept only for `how_to` questions (else `private_note`), the
 * bot icon an https URL. Answers the problem, if any.
 */
function cleanSettings(patch: Record<string, unknown>): string | undefined {
  if (Array.isArray(patch.widget_domains)) patch.widget_domains = patch.widget_domains.filter(Boolean);
  if (Array.isArray(patch.slack_channel_ids))
    patch.slack_channel_ids = [...new Set(patch.slack_channel_ids.filter((id) => typeof id === 'string' && id.trim() !== ''))];
  for (const key of SLACK_FLAGS) if (key in patch) patch[key] = Boolean(patch[key]);
  const modes = patch.ai_reply_modes;
  if (typeof modes === 'object' && modes !== null && !Array.isArray(modes)) {
    patch.ai_reply_modes = Object.fromEntries(
      Object.entries(modes).map(([kind, mode]) => [kind, mode === 'bot_reply' && kind !== 'how_to' ? 'private_note' : mode]),
    );
  }
  const icon = patch.slack_bot_icon_url;
  if (typeof icon === 'string' && icon !== '' && !/^https:\/\/[^\s/]+/i.test(icon)) return 'Must be an HTTPS URL.';
  return undefined;
}

/**
 * The project serializer's `conversations_settings` handling (`merge_conversations_settings`): an
 * object is merged into what is stored, values as sent (nulls included) but the managed keys;
 * `null` keeps only the managed keys (or becomes null when there are none); `widget_domains` drops
 * empty entries. Then enabling mints a token if there is none, and disabling clears it.
 */
function update(ctx: Context, team: EmulatorTeam): Answer {
  const { conversations_enabled: enabled, conversations_settings: incoming } = ctx.body;
  if (enabled !== undefined && typeof enabled !== 'boolean')
    return drfError(400, 'validation_error', 'invalid', 'Must be a valid boolean.', 'conversations_enabled');
  if (incoming !== undefined && incoming !== null && (typeof incoming !== 'object' || Array.isArray(incoming))) {
    return drfError(400, 'validation_error', 'invalid', 'Conversation settings must be an object or null.', 'conversations_settings');
  }
  if (incoming === null) {
    team.settings = Object.fromEntries(Object.entries(team.settings).filter(([key]) => MANAGED.has(key)));
  } else if (incoming !== undefined) {
    const patch = Object.fromEntries(Object.entries(incoming as Record<string, unknown>).filter(([key]) => !MANAGED.has(key)));
    const problem = cleanSettings(patch);
    if (problem) return drfError(400, 'validation_error', 'invalid', problem, 'conversations_settings');
    team.settings = { ...team.settings, ...patch };
  }
  if (enabled === true) {
    team.conversationsEnabled = true;
    team.publicToken ??= mintPublicToken(); // an existing token is kept
  } else if (enabled === false) {
    team.conversationsEnabled = false;
    team.publicToken = null;
  }
  return json(200, projectView(team));
}

/**
 * The `conversations` key of remote config (`RemoteConfig.build_config`): `false` when off; the
 * flags read with `.get(key, False)` (a stored null comes through), the texts with `or default`.
 */
export function remoteConfig(team: EmulatorTeam) {
  const s = team.settings;
  const flag = (key: string) => (Object.hasOwn(s, key) ? s[key] : false);
  const text = (key: keyof typeof DEFAULT_WIDGET_SETTINGS) => s[key] || DEFAULT_WIDGET_SETTINGS[key];
  const conversations = team.conversationsEnabled
    ? {
        enabled: true,
        widgetEnabled: flag('widget_enabled'),
        greetingText: text('widget_greeting_text'),
        color: text('widget_color'),
        token: team.publicToken,
        domains: s.widget_domains || [],
        requireEmail: flag('widget_require_email'),
        collectName: flag('widget_collect_name'),
        identificationFormTitle: text('widget_identification_form_title'),
        identificationFormDescription: text('widget_identification_form_description'),
        placeholderText: text('widget_placeholder_text'),
        widgetPosition: text('widget_position'),
      }
    : false;
  return { token: team.projectApiKey, supportedCompression: ['gzip', 'gzip-js'], hasFeatureFlags: false, conversations };
}
