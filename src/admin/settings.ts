/** Team settings for conversations (reference §3) and remote config (§5). */
import * as z from 'zod';
import type { RequestOptions } from '../http/request-options.js';
import { strictInput } from '../http/schemas.js';
import { responseObject } from '../http/tolerant.js';
import type { Transport } from '../http/transport.js';
import { parseInput } from '../http/validate.js';
import { ConfigurationError, ValidationError } from '../basics/errors.js';

// `conversations_settings` is a JSON blob: PostHog validates a few keys and stores the rest as sent,
// nulls included (posthog/api/team/conversations_settings.py), so every value may be null.
const text = z.string().nullable().optional();
const flag = z.boolean().nullable().optional();

/** Keys PostHog's integrations manage: it drops them from a PATCH, so `settings.update` refuses them. */
export const MANAGED_SETTINGS = [
  'widget_public_token',
  'slack_bot_token',
  'slack_team_id',
  'slack_enabled',
  'slack_scopes',
  'email_enabled',
  'teams_enabled',
  'teams_tenant_id',
  'teams_team_id',
  'teams_team_name',
  'teams_channel_id',
  'teams_channel_name',
  'teams_channels',
  'github_enabled',
  'github_integration_id',
  'github_repos',
] as const;

const writableFields = {
  widget_enabled: flag,
  widget_greeting_text: text,
  widget_color: text,
  widget_position: text,
  widget_domains: z.array(z.string()).nullable().optional(),
  widget_require_email: flag,
  widget_collect_name: flag,
  widget_identification_form_title: text,
  widget_identification_form_description: text,
  widget_placeholder_text: text,
  widget_restore_enabled: flag,
  notification_recipients: z.array(z.number()).nullable().optional(),
  /** Slack channels the team's notifications go to (at most 50, deduplicated by PostHog). */
  slack_channel_ids: z.array(z.string()).nullable().optional(),
  /** An https URL. */
  slack_bot_icon_url: text,
  slack_bot_display_name: text,
  slack_notify_on_join: flag,
  slack_notify_on_leave: flag,
  slack_nudge_enabled: flag,
  slack_alert_channel_id: text,
  /** Channels where the AI may resolve tickets: `widget`, `email`, `slack`, `teams`, `github`. */
  ai_resolution_channels: z.array(z.string()).nullable().optional(),
  ai_reply_modes: z.unknown().optional(),
  ai_reply_custom_instructions: text,
  ai_context_account_property_ids: z.array(z.unknown()).nullable().optional(),
  docs_source: z.unknown().optional(),
};

const settingsFields = {
  ...writableFields,
  widget_public_token: text,
  slack_enabled: flag,
  slack_team_id: text,
  email_enabled: flag,
  teams_enabled: flag,
  github_enabled: flag,
};
const settingsShape = responseObject('the conversations settings', settingsFields);
/** The team's Conversations settings (`conversations_settings`), as `client.settings.get` returns them. */
export type ConversationsSettings = z.output<typeof settingsShape>;

const project = responseObject('the project', {
  conversations_enabled: z.boolean().nullable().optional(),
  conversations_settings: settingsShape.nullable().optional(),
});

/** What {@link SettingsClient.get} returns. */
export interface ConversationsConfig {
  enabled: boolean;
  settings: ConversationsSettings;
  /** The widget's public token, or null while conversations is off. */
  publicToken: string | null;
}

// A tolerant parse may keep a value of another type: read only what has the type we promise.
const toConfig = (p: z.output<typeof project>): ConversationsConfig => {
  const settings = typeof p.conversations_settings === 'object' && p.conversations_settings !== null ? p.conversations_settings : {};
  const token = settings.widget_public_token;
  return { enabled: p.conversations_enabled === true, settings, publicToken: typeof token === 'string' ? token : null };
};

export const updateSettingsInput = strictInput(
  {
    enabled: z.boolean().optional(),
    /**
     * Merged into the existing settings (a value may be null: PostHog stores it as sent); `null`
     * resets them, keeping what the integrations manage. The keys PostHog manages (`widget_public_token`, `slack_enabled`, `email_enabled`, ...) cannot be set.
     */
    settings: strictInput(writableFields, 'settings.update input settings').nullable().optional(),
  },
  'settings.update input',
);
/** Input of `client.settings.update`: the settings to change (merged into the current ones). */
export type UpdateSettingsInput = z.input<typeof updateSettingsInput>;

/** `client.settings`: the project's conversations settings (needs `personalApiKey` and `projectId`). */
export class SettingsClient {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Whether conversations is on, its settings and the widget's public token. */
  async get(options?: RequestOptions): Promise<ConversationsConfig> {
    const path = this.#transport.projectPath('');
    return toConfig(await this.#transport.request({ method: 'GET', path, auth: 'personal', idempotent: true, schema: project }, options));
  }

  /** Turns conversations on or off and merges settings. Turning it on mints a public token if there is none. */
  async update(input: UpdateSettingsInput, options?: RequestOptions): Promise<ConversationsConfig> {
    const path = this.#transport.projectPath('');
    const settings = (input as { settings?: unknown } | null | undefined)?.settings;
    const managed =
      typeof settings === 'object' && settings !== null ? MANAGED_SETTINGS.find((key) => Object.hasOwn(settings, key)) : undefined;
    if (managed !== undefined) {
      throw new ValidationError(
        `settings.${managed}`,
        `settings.${managed} is managed by PostHog (its integrations or the widget token) and is dropped from any update: leave it out`,
      );
    }
    const v = parseInput(updateSettingsInput, input);
    const body = { conversations_enabled: v.enabled, conversations_settings: v.settings };
    return toConfig(
      await this.#transport.request({ method: 'PATCH', path, auth: 'personal', body, idempotent: true, schema: project }, options),
    );
  }

  /**
   * The configured personal API key as PostHog describes it (`/api/personal_api_keys/@current/`):
   * its `scopes` and `scoped_teams` (null when it reaches every project). Needs no scope itself.
   */
  async personalApiKey(options?: RequestOptions): Promise<PersonalApiKeyInfo> {
    return this.#transport.request(
      { method: 'GET', path: '/api/personal_api_keys/@current/', auth: 'personal', idempotent: true, schema: personalKey },
      options,
    );
  }

  /**
   * Not available with a personal API key: PostHog's `generate_conversations_public_token` is in
   * none of the project viewset's scope lists, so it refuses every such key (403). An admin
   * regenerates the token in PostHog (Settings, Conversations). This throws before any request.
   *
   * @deprecated PostHog refuses it to personal API keys; kept so existing code fails with this explanation.
   */
  async regeneratePublicToken(_options?: RequestOptions): Promise<ConversationsConfig> {
    throw new ConfigurationError(
      "settings.regeneratePublicToken cannot work: PostHog refuses generate_conversations_public_token to every personal API key (it is in no scope list); an admin regenerates the widget's public token in PostHog, under Settings, Conversations",
    );
  }
}

const personalKey = responseObject(
  'the personal API key',
  {
    /** `["*"]` for a key with every scope (PostHog shows a key without scopes so too). */
    scopes: z.array(z.string()),
    /** The projects it is limited to; `[]` or null when it reaches every project. */
    scoped_teams: z.array(z.number()).nullable().optional(),
    scoped_organizations: z.array(z.string()).nullable().optional(),
    id: z.string().optional(),
    label: text,
    mask_value: text,
    created_at: text,
    last_used_at: text,
    last_rolled_at: text,
    user_id: z.union([z.number(), z.string()]).nullable().optional(),
  },
  ['scopes'],
);
/** What PostHog says of the configured personal API key: its scopes and the projects it can reach. */
export type PersonalApiKeyInfo = z.output<typeof personalKey>;

const conversationsConfig = z.union([
  z.literal(false),
  responseObject(
    'the conversations config',
    {
      enabled: z.boolean(),
      // remote_config.py reads these with `.get(key, False)`: a null stored in the settings comes through.
      widgetEnabled: flag,
      greetingText: text,
      color: text,
      token: text,
      domains: z.array(z.string()).nullable().optional(),
      requireEmail: flag,
      collectName: flag,
      identificationFormTitle: text,
      identificationFormDescription: text,
      placeholderText: text,
      widgetPosition: text,
    },
    ['enabled'],
  ),
]);
const remoteConfig = responseObject('the remote config', { conversations: conversationsConfig.optional() });
/** What the browser widget is told in remote config (`client.remoteConfig.get`). */
export type RemoteConversationsConfig = z.output<typeof conversationsConfig>;

const projectApiKey = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a project API key (phc_...)');

/** `client.remoteConfig`: what the browser widget sees (needs only a project API key per call). */
export class RemoteConfigClient {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** The `conversations` part of the project's remote config: exactly what the browser widget will see (`false` when off). */
  async get(projectApiKeyValue: string, options?: RequestOptions): Promise<RemoteConversationsConfig> {
    const path = `/array/${parseInput(projectApiKey, projectApiKeyValue, 'projectApiKey')}/config`;
    const config = await this.#transport.request({ method: 'GET', path, auth: 'none', idempotent: true, schema: remoteConfig }, options);
    return config.conversations ?? false;
  }
}
