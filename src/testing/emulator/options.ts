/** The emulator's options, checked strictly, and the teams and keys it seeds from them. */
import { ConfigurationError, describeType } from '../../basics/errors.js';
import { assertConfigKeys } from '../../basics/options.js';
import { keysOf } from '../../webhooks/verify.js';
import { DEFAULT_THROTTLE_RATES, type EmulatorPersonalApiKey, type EmulatorTeam, type ThrottleRates } from './types.js';
import { EMULATOR_DEFAULTS } from './defaults.js';
import type { EmulatorWebhook, EmulatorWebhookRetry } from './webhooks.js';

export { EMULATOR_DEFAULTS };

/** Options of `startEmulator`: port, seeded teams and keys, throttles, webhooks to deliver to. */
export interface EmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number | undefined;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string | undefined;
  /** Teams; each missing field takes the default team's value. Default: one team. */
  teams?: Array<Partial<EmulatorTeam>> | undefined;
  /** Personal API keys for the admin API. Default: one admin key with every scope on every team. */
  personalApiKeys?: Array<Partial<EmulatorPersonalApiKey>> | undefined;
  /** `false` turns throttling off; an object overrides rates (`{ widget_user_burst: '5/minute' }`). Default: the real rates. */
  throttles?: boolean | Partial<ThrottleRates> | undefined;
  /** The clock, for restore-token expiry, email-claim checks and throttles. Default: the real time. */
  now?: (() => Date) | undefined;
  /**
   * Receivers to deliver the `$conversation_*` events to, signed like PostHog's HTTP webhook
   * destination: `[{ url, secret, events? }]`. See `emulator.deliveries` and `webhooksIdle()`.
   */
  webhooks?: EmulatorWebhook[] | undefined;
  /** How failed deliveries are retried. Default 3 attempts, 200 ms then doubling, 5 s per attempt. */
  webhookRetry?: EmulatorWebhookRetry | undefined;
}

const EMULATOR_OPTION_KEYS = ['port', 'host', 'teams', 'personalApiKeys', 'throttles', 'now', 'webhooks', 'webhookRetry'] as const;
const WEBHOOK_KEYS = ['url', 'secret', 'events'] as const;
const WEBHOOK_RETRY_KEYS = ['maxAttempts', 'initialDelayMs', 'timeoutMs'] as const;
const TEAM_KEYS = [
  'id',
  'name',
  'projectApiKey',
  'publicToken',
  'secretApiToken',
  'secretApiTokenBackup',
  'signingSecret',
  'conversationsEnabled',
  'projectSecretApiKeys',
  'emailConfigs',
  'settings',
] as const;
const KEY_KEYS = ['key', 'scopes', 'teamIds', 'role', 'user'] as const;

export function checkWebhook(webhook: EmulatorWebhook, where: string): void {
  assertConfigKeys(webhook, WEBHOOK_KEYS, where);
  if (typeof webhook.url !== 'string' || !/^https?:\/\//.test(webhook.url))
    throw new ConfigurationError(`${where}.url must be an http(s) URL`);
  keysOf(webhook.secret); // whsec_ + base64, as PostHog takes it
}

/** Strict options: a misspelt team field would otherwise leave the default in place silently. */
export function checkEmulatorOptions(options: EmulatorOptions): void {
  assertConfigKeys(options, EMULATOR_OPTION_KEYS, 'startEmulator options');
  for (const [list, keys, name] of [
    [options.teams, TEAM_KEYS, 'teams'],
    [options.personalApiKeys, KEY_KEYS, 'personalApiKeys'],
  ] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new ConfigurationError(`startEmulator options.${name} must be an array`);
    for (const [i, seed] of list.entries()) assertConfigKeys(seed, keys, `startEmulator options.${name}[${i}]`);
  }
  if (options.webhooks !== undefined) {
    if (!Array.isArray(options.webhooks))
      throw new ConfigurationError('startEmulator options.webhooks must be an array of { url, secret, events? }');
    for (const [i, webhook] of options.webhooks.entries()) checkWebhook(webhook, `startEmulator options.webhooks[${i}]`);
  }
  if (options.webhookRetry !== undefined) assertConfigKeys(options.webhookRetry, WEBHOOK_RETRY_KEYS, 'startEmulator options.webhookRetry');
  if (options.throttles !== undefined && typeof options.throttles === 'object') {
    assertConfigKeys(options.throttles, Object.keys(DEFAULT_THROTTLE_RATES), 'startEmulator options.throttles');
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65_535)) {
    throw new ConfigurationError(
      `startEmulator options.port must be a whole number from 0 to 65535, got ${typeof options.port === 'number' ? options.port : describeType(options.port)}`,
    );
  }
}

export function buildTeam(seed: Partial<EmulatorTeam>, index: number): EmulatorTeam {
  const d = EMULATOR_DEFAULTS;
  const suffix = index === 0 ? '' : `_${index + 1}`;
  return {
    id: d.projectId + index,
    name: index === 0 ? d.teamName : `${d.teamName} ${index + 1}`,
    projectApiKey: `${d.projectApiKey}${suffix}`,
    publicToken: `${d.publicToken}${suffix}`,
    secretApiToken: `${d.secretApiToken}${suffix}`,
    secretApiTokenBackup: null,
    signingSecret: null,
    conversationsEnabled: true,
    ...seed,
    projectSecretApiKeys: (seed.projectSecretApiKeys ?? []).map((key) => ({ ...key, scopes: [...key.scopes] })),
    emailConfigs: (seed.emailConfigs ?? []).map((config) => ({ ...config })),
    settings: { ...seed.settings },
  };
}

export function buildKey(seed: Partial<EmulatorPersonalApiKey>, index: number): EmulatorPersonalApiKey {
  const id = index + 1;
  return {
    key: index === 0 ? EMULATOR_DEFAULTS.personalApiKey : `${EMULATOR_DEFAULTS.personalApiKey}_${id}`,
    scopes: ['*'],
    teamIds: 'all',
    role: 'admin',
    user: { id, email: `agent${id}@example.com`, first_name: `Agent ${id}` },
    ...seed,
  };
}
