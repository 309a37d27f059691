/** Team settings for conversations (reference §3) and remote config (§5). */
import { z } from 'zod';
import type { Transport } from '../http/transport.js';
import { parseInput, parseResponse } from '../http/validate.js';
import type { AdminApi } from './client.js';

const settingsShape = z.looseObject({
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
});
export type ConversationsSettings = z.output<typeof settingsShape>;

const project = z.looseObject({
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

const toConfig = (p: z.output<typeof project>): ConversationsConfig => ({
  enabled: p.conversations_enabled === true,
  settings: p.conversations_settings ?? {},
  publicToken: p.conversations_settings?.widget_public_token ?? null,
});

export const updateSettingsInput = z.object({
  enabled: z.boolean().optional(),
  /** Merged into the existing settings; `null` resets them. `widget_public_token` cannot be set. */
  settings: settingsShape.omit({ widget_public_token: true }).partial().nullable().optional(),
  signal: z.instanceof(AbortSignal).optional(),
});
export type UpdateSettingsInput = z.input<typeof updateSettingsInput>;

export class SettingsClient {
  readonly #api: AdminApi;
  constructor(api: AdminApi) {
    this.#api = api;
  }

  /** Whether conversations is on, its settings and the widget's public token. */
  async get(options: { signal?: AbortSignal } = {}): Promise<ConversationsConfig> {
    return toConfig(await this.#api.call(project, { method: 'GET', path: this.#api.projectPath(''), idempotent: true, signal: options.signal }));
  }

  /** Turns conversations on or off and merges settings. Turning it on mints a public token if there is none. */
  async update(input: UpdateSettingsInput): Promise<ConversationsConfig> {
    const v = parseInput(updateSettingsInput, input);
    const body = { conversations_enabled: v.enabled, conversations_settings: v.settings };
    return toConfig(await this.#api.call(project, { method: 'PATCH', path: this.#api.projectPath(''), body, idempotent: true, signal: v.signal }));
  }

  /** A new public token; the old one stops working at once (open widgets must reload). Admins only. */
  async regeneratePublicToken(options: { signal?: AbortSignal } = {}): Promise<ConversationsConfig> {
    const path = this.#api.projectPath('generate_conversations_public_token/');
    return toConfig(await this.#api.call(project, { method: 'POST', path, idempotent: false, signal: options.signal }));
  }
}

const conversationsConfig = z.union([
  z.literal(false),
  z.looseObject({
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
  }),
]);
const remoteConfig = z.looseObject({ conversations: conversationsConfig.optional() });
export type RemoteConversationsConfig = z.output<typeof conversationsConfig>;

export class RemoteConfigClient {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** The `conversations` part of the project's remote config: exactly what the browser widget will see (`false` when off). */
  async get(projectApiKey: string, options: { signal?: AbortSignal } = {}): Promise<RemoteConversationsConfig> {
    const key = parseInput(z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a project API key (phc_...)'), projectApiKey, 'projectApiKey');
    const path = `/array/${key}/config`;
    const answer = await this.#transport.send({ method: 'GET', path, idempotent: true, signal: options.signal });
    return parseResponse(remoteConfig, answer.body, { method: 'GET', path, status: answer.status }).conversations ?? false;
  }
}
