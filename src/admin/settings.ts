/** Team settings for conversations (reference §3) and remote config (§5). */
import { z } from 'zod';
import type { RequestOptions } from '../http/request-options.js';
import { strictInput } from '../http/schemas.js';
import { responseObject } from '../http/tolerant.js';
import type { Transport } from '../http/transport.js';
import { parseInput } from '../http/validate.js';

const settingsFields = {
  widget_public_token: z.string().nullable().optional(),
  widget_enabled: z.boolean().optional(),
  widget_greeting_text: z.string().optional(),
  widget_color: z.string().optional(),
  widget_position: z.string().optional(),
  widget_domains: z.array(z.string()).optional(),
  widget_require_email: z.boolean().optional(),
  widget_collect_name: z.boolean().optional(),
  widget_identification_form_title: z.string().optional(),
  widget_identification_form_description: z.string().optional(),
  widget_placeholder_text: z.string().optional(),
  widget_restore_enabled: z.boolean().optional(),
  notification_recipients: z.array(z.number()).optional(),
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

const { widget_public_token: _token, ...writableSettings } = settingsFields;

export const updateSettingsInput = strictInput(
  {
    enabled: z.boolean().optional(),
    /** Merged into the existing settings; `null` resets them. `widget_public_token` cannot be set. */
    settings: strictInput(writableSettings, 'settings.update input settings').nullable().optional(),
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
    const path = this.#transport.credentials.projectPath('');
    return toConfig(await this.#transport.request({ method: 'GET', path, auth: 'personal', idempotent: true, schema: project }, options));
  }

  /** Turns conversations on or off and merges settings. Turning it on mints a public token if there is none. */
  async update(input: UpdateSettingsInput, options?: RequestOptions): Promise<ConversationsConfig> {
    const path = this.#transport.credentials.projectPath('');
    const v = parseInput(updateSettingsInput, input);
    const body = { conversations_enabled: v.enabled, conversations_settings: v.settings };
    return toConfig(await this.#transport.request({ method: 'PATCH', path, auth: 'personal', body, idempotent: true, schema: project }, options));
  }

  /**
   * The configured personal API key as PostHog describes it (`/api/personal_api_keys/@current/`):
   * its `scopes` and `scoped_teams` (null when it reaches every project). Needs no scope itself.
   */
  async personalApiKey(options?: RequestOptions): Promise<PersonalApiKeyInfo> {
    return this.#transport.request({ method: 'GET', path: '/api/personal_api_keys/@current/', auth: 'personal', idempotent: true, schema: personalKey }, options);
  }

  /** A new public token; the old one stops working at once (open widgets must reload). Admins only. */
  async regeneratePublicToken(options?: RequestOptions): Promise<ConversationsConfig> {
    const path = this.#transport.credentials.projectPath('generate_conversations_public_token/');
    return toConfig(await this.#transport.request({ method: 'POST', path, auth: 'personal', idempotent: false, schema: project }, options));
  }
}

const personalKey = responseObject('the personal API key', {
  scopes: z.array(z.string()),
  scoped_teams: z.array(z.number()).nullable().optional(),
  scoped_organizations: z.array(z.string()).nullable().optional(),
  label: z.string().optional(),
}, ['scopes']);
/** What PostHog says of the configured personal API key: its scopes and the projects it can reach. */
export type PersonalApiKeyInfo = z.output<typeof personalKey>;

const conversationsConfig = z.union([
  z.literal(false),
  responseObject('the conversations config', {
    enabled: z.boolean(),
    widgetEnabled: z.boolean().optional(),
    greetingText: z.string().optional(),
    color: z.string().optional(),
    token: z.string().nullable().optional(),
    domains: z.array(z.string()).optional(),
    requireEmail: z.boolean().optional(),
    collectName: z.boolean().optional(),
    identificationFormTitle: z.string().optional(),
    identificationFormDescription: z.string().optional(),
    placeholderText: z.string().optional(),
    widgetPosition: z.string().optional(),
  }, ['enabled']),
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
