/** Team settings (reference §3) and remote config (§5): what the admin UI changes and the browser widget sees. */
import { randomBytes } from 'node:crypto';
import { personalKey } from './auth.js';
import { drfError, json, notFound, type Answer, type Context } from './http.js';
import type { RouteSpec } from './routes.js';
import type { EmulatorState } from './state.js';
import type { EmulatorPersonalApiKey, EmulatorTeam } from './types.js';

// Keys the integrations manage; a PATCH cannot set them, and `null` settings keep them.
const MANAGED = /^(slack_|teams_|github_|email_enabled$)/;

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

const READ = { kind: 'personal-key', scope: 'project', level: 'read' } as const;
const WRITE = { kind: 'personal-key', scope: 'project', level: 'write' } as const;

/** The project (team) API, key self-inspection and remote config. */
export const settingsRoutes: RouteSpec[] = [
  ...['projects', 'environments'].flatMap((scope): RouteSpec[] => {
    const base = `/api/${scope}/:projectId`;
    return [
      { method: 'GET', path: `${base}/`, guard: READ, handler: (ctx, { team }) => json(200, projectView(team)) },
      { method: 'PATCH', path: `${base}/`, guard: WRITE, handler: (ctx, { team }) => update(ctx, team) },
      {
        method: 'POST',
        path: `${base}/generate_conversations_public_token/`,
        guard: WRITE,
        handler: (ctx, { team, key }) => asAdmin(key, () => (team.publicToken = mintPublicToken()), team), // the old token stops working at once
      },
      {
        method: 'PATCH',
        path: `${base}/rotate_secret_token/`,
        guard: WRITE,
        handler: (ctx, { team, key }) =>
          asAdmin(key, () => {
            team.secretApiTokenBackup = team.secretApiToken;
            team.secretApiToken = `phs_${randomBytes(35).toString('base64url')}`;
            team.signingSecret = team.secretApiToken;
          }, team),
      },
      { method: 'PATCH', path: `${base}/delete_secret_token_backup/`, guard: WRITE, handler: (ctx, { team, key }) => asAdmin(key, () => (team.secretApiTokenBackup = null), team) },
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

/** The organisation-admin actions: the change, then the project, or 403 for a key of a member. */
function asAdmin(key: EmulatorPersonalApiKey | undefined, change: () => unknown, team: EmulatorTeam): Answer {
  if (key?.role !== 'admin') return drfError(403, 'authentication_error', 'permission_denied', 'You do not have admin access to this resource.');
  change();
  return json(200, projectView(team));
}

function currentKey(ctx: Context, state: EmulatorState): Answer {
  const match = /^Bearer\s+(\S+)$/i.exec(ctx.header('authorization') ?? '');
  const key = match ? personalKey(state, match[1]!) : undefined;
  if (!key) return drfError(401, 'authentication_error', 'authentication_failed', 'Personal API key found in request Authorization header is invalid.');
  const index = state.personalApiKeys.indexOf(key);
  return json(200, { id: `key-${index + 1}`, label: `Emulator key ${index + 1}`, scopes: key.scopes, scoped_teams: key.teamIds === 'all' ? null : key.teamIds, scoped_organizations: null, mask_value: 'phx_...' });
}

function update(ctx: Context, team: EmulatorTeam): Answer {
  const { conversations_enabled: enabled, conversations_settings: incoming } = ctx.body;
  if (enabled !== undefined && typeof enabled !== 'boolean') return drfError(400, 'validation_error', 'invalid', 'Must be a valid boolean.', 'conversations_enabled');
  if (incoming !== undefined && incoming !== null && (typeof incoming !== 'object' || Array.isArray(incoming))) {
    return drfError(400, 'validation_error', 'invalid', 'Must be an object or null.', 'conversations_settings');
  }
  if (incoming === null) {
    team.settings = Object.fromEntries(Object.entries(team.settings).filter(([key]) => MANAGED.test(key)));
  } else if (incoming !== undefined) {
    const patch = Object.fromEntries(Object.entries(incoming as Record<string, unknown>).filter(([key]) => key !== 'widget_public_token' && !MANAGED.test(key)));
    if (Array.isArray(patch.widget_domains)) patch.widget_domains = patch.widget_domains.filter((d) => d !== null);
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

/** The `conversations` key of remote config: `false` when off, else the widget's settings with defaults. */
export function remoteConfig(team: EmulatorTeam) {
  const s = { ...DEFAULT_WIDGET_SETTINGS, ...team.settings };
  const conversations = team.conversationsEnabled
    ? {
        enabled: true,
        widgetEnabled: s.widget_enabled,
        greetingText: s.widget_greeting_text,
        color: s.widget_color,
        token: team.publicToken,
        domains: s.widget_domains,
        requireEmail: s.widget_require_email,
        collectName: s.widget_collect_name,
        identificationFormTitle: s.widget_identification_form_title,
        identificationFormDescription: s.widget_identification_form_description,
        placeholderText: s.widget_placeholder_text,
        widgetPosition: s.widget_position,
      }
    : false;
  return { token: team.projectApiKey, supportedCompression: ['gzip', 'gzip-js'], hasFeatureFlags: false, conversations };
}
