/**
 * A local PostHog Conversations API for tests, examples and offline development: the widget,
 * restore, admin, external, settings and remote-config endpoints of
 * `reference/posthog-conversations-api.md`, with the server's status codes and error bodies.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, describeType } from '../../errors.js';
import { assertConfigKeys } from '../../options.js';
import { adminRoutes } from './admin.js';
import { browserRoutes } from './browser.js';
import { externalRoutes } from './external.js';
import { Faults, type FaultRule } from './faults.js';
import { BodyError, Router, bodyTooLarge, endpointNotFound, json, notFound, parseBody, parseTarget, readRawBody, write, type Answer, type Context } from './http.js';
import { restoreRoutes } from './restore.js';
import { registerRoutes } from './routes.js';
import { settingsRoutes } from './settings.js';
import { EmulatorState, type MessageSeed, type TicketSeed } from './state.js';
import { WebhookDeliverer, type EmulatorDelivery, type EmulatorWebhook, type EmulatorWebhookRetry } from './webhooks.js';
import { keysOf } from '../../webhooks/verify.js';
import { Throttles } from './throttle.js';
import {
  DEFAULT_THROTTLE_RATES,
  type EmulatorEmail,
  type EmulatorEvent,
  type EmulatorMessage,
  type EmulatorPerson,
  type EmulatorPersonalApiKey,
  type EmulatorTeam,
  type EmulatorTicket,
  type ThrottleRates,
} from './types.js';
import { widgetRoutes } from './widget.js';

// The request log is for tests; a long-running emulator keeps only the newest entries.
const MAX_LOGGED_REQUESTS = 10_000;

/** The credentials of the default team and key, fixed so examples and tests can use them as constants. */
export const EMULATOR_DEFAULTS = {
  projectId: 1,
  teamName: 'Emulated team',
  projectApiKey: 'phc_emulator_project_api_key',
  publicToken: 'emulator_widget_public_token_000000000000000',
  secretApiToken: 'phs_emulator_secret_api_token_0000000000000000',
  personalApiKey: 'phx_emulator_personal_api_key_000000000000000',
  /** The Standard Webhooks signing secret examples verify deliveries with (base64 of 32 made-up bytes). */
  webhookSecret: 'whsec_ZW11bGF0b3Itd2ViaG9vay1zaWduaW5nLWtleS0wMDA=',
} as const;

/** Options of {@link startEmulator}: port, seeded teams and keys, throttles, webhooks to deliver to. */
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

/** One request the emulator received. */
export interface EmulatorRequest {
  /** When it arrived (the emulator's clock). */
  at: Date;
  method: string;
  path: string;
  userAgent: string | undefined;
  /** The status it was answered with; absent until the answer is sent (or when the connection was dropped). */
  status?: number;
}

/** A running emulator: its URL, its state to seed and inspect, faults to inject, and `close`. */
export interface Emulator {
  /** Base URL, such as `http://127.0.0.1:54321`: pass it as `host` to `createClient`. */
  url: string;
  port: number;
  /** Everything the emulator holds; tests may read and change it. */
  state: EmulatorState;
  /** Emails the server would have sent (restore links, new-ticket notifications). */
  readonly outbox: EmulatorEmail[];
  /** Events the server would have captured into the project. */
  readonly events: EmulatorEvent[];
  /** Requests received, oldest first (the newest 10,000), each with its status once answered. */
  readonly requests: EmulatorRequest[];
  /** Connections currently open to the emulator (to check a client closed its pool). */
  openConnections(): Promise<number>;
  faults: {
    /** Adds a fault for matching requests (a status, a reset, a delay, malformed JSON), `times` times or for good. */
    add(rule: FaultRule): void;
    /** Removes every fault. */
    clear(): void;
  };
  throttles: Throttles;
  /** Webhook deliveries, oldest first, with each attempt (the newest 1,000). */
  readonly deliveries: EmulatorDelivery[];
  /** Resolves once every delivery started so far has been delivered or has failed for good. */
  webhooksIdle(): Promise<void>;
  /**
   * Delivers events to one more receiver from now on: for an app whose port is known only after
   * the emulator started. Checked like the `webhooks` option.
   */
  addWebhook(webhook: EmulatorWebhook): void;
  /** Adds a ticket as if created by the server (defaults to the first team). */
  addTicket(seed?: TicketSeed): EmulatorTicket;
  /** Adds a message to a ticket, applying the server's counters (`authorType: 'support'` with `created_by` for a team reply). */
  addMessage(ticket: EmulatorTicket, seed: MessageSeed): EmulatorMessage;
  /** Adds a person, linking several distinct ids (as `posthog.identify` does). */
  addPerson(person: Partial<EmulatorPerson> & { distinctIds: string[] }): EmulatorPerson;
  /** Back to the state it started with: teams and keys as configured, no tickets, empty outbox. */
  reset(): void;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * CORS for a browser page on another origin (the demo app): PostHog's API answers any origin, and
 * nothing here reads cookies, so credentials are never allowed (a page cannot borrow a visitor's).
 */
function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  const headers: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, PATCH, OPTIONS',
    vary: 'Origin',
  };
  const requested = req.headers['access-control-request-headers'];
  if (typeof requested === 'string') headers['access-control-allow-headers'] = requested;
  return headers;
}

function buildTeam(seed: Partial<EmulatorTeam>, index: number): EmulatorTeam {
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
    settings: { ...seed.settings },
  };
}

function buildKey(seed: Partial<EmulatorPersonalApiKey>, index: number): EmulatorPersonalApiKey {
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

/**
 * Starts the emulator on 127.0.0.1 (a free port by default).
 *
 * @example
 * const emulator = await startEmulator()
 * const client = createClient({ host: emulator.url, publicToken: EMULATOR_DEFAULTS.publicToken })
 * // ...
 * await emulator.close()
 */
const EMULATOR_OPTION_KEYS = ['port', 'host', 'teams', 'personalApiKeys', 'throttles', 'now', 'webhooks', 'webhookRetry'] as const;
const WEBHOOK_KEYS = ['url', 'secret', 'events'] as const;
const WEBHOOK_RETRY_KEYS = ['maxAttempts', 'initialDelayMs', 'timeoutMs'] as const;
const TEAM_KEYS = ['id', 'name', 'projectApiKey', 'publicToken', 'secretApiToken', 'secretApiTokenBackup', 'signingSecret', 'conversationsEnabled', 'settings'] as const;
const KEY_KEYS = ['key', 'scopes', 'teamIds', 'role', 'user'] as const;

function checkWebhook(webhook: EmulatorWebhook, where: string): void {
  assertConfigKeys(webhook, WEBHOOK_KEYS, where);
  if (typeof webhook.url !== 'string' || !/^https?:\/\//.test(webhook.url)) throw new ConfigurationError(`${where}.url must be an http(s) URL`);
  keysOf(webhook.secret); // whsec_ + base64, as PostHog takes it
}

/** Strict options: a misspelt team field would otherwise leave the default in place silently. */
function checkEmulatorOptions(options: EmulatorOptions): void {
  assertConfigKeys(options, EMULATOR_OPTION_KEYS, 'startEmulator options');
  for (const [list, keys, name] of [[options.teams, TEAM_KEYS, 'teams'], [options.personalApiKeys, KEY_KEYS, 'personalApiKeys']] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new ConfigurationError(`startEmulator options.${name} must be an array`);
    list.forEach((seed, i) => assertConfigKeys(seed, keys, `startEmulator options.${name}[${i}]`));
  }
  if (options.webhooks !== undefined) {
    if (!Array.isArray(options.webhooks)) throw new ConfigurationError('startEmulator options.webhooks must be an array of { url, secret, events? }');
    options.webhooks.forEach((webhook, i) => checkWebhook(webhook, `startEmulator options.webhooks[${i}]`));
  }
  if (options.webhookRetry !== undefined) assertConfigKeys(options.webhookRetry, WEBHOOK_RETRY_KEYS, 'startEmulator options.webhookRetry');
  if (options.throttles !== undefined && typeof options.throttles === 'object') {
    assertConfigKeys(options.throttles, Object.keys(DEFAULT_THROTTLE_RATES), 'startEmulator options.throttles');
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65_535)) {
    throw new ConfigurationError(`startEmulator options.port must be a whole number from 0 to 65535, got ${typeof options.port === 'number' ? options.port : describeType(options.port)}`);
  }
}

/**
 * Starts the local Conversations API emulator on 127.0.0.1 (a free port unless you give one), with
 * a team, keys and settings seeded from {@link EMULATOR_DEFAULTS}. Close it when done.
 *
 * @example
 * const emulator = await startEmulator()
 * const client = createClient({ host: emulator.url, publicToken: EMULATOR_DEFAULTS.publicToken })
 * await emulator.close()
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  checkEmulatorOptions(options);
  const now = options.now ?? (() => new Date());
  const state = new EmulatorState(now);
  const configured = options.throttles;
  const throttles = new Throttles({ ...DEFAULT_THROTTLE_RATES, ...(typeof configured === 'object' ? configured : {}) }, configured !== false, now);
  const faults = new Faults();
  const requests: EmulatorRequest[] = [];
  const deliverer = new WebhookDeliverer(options.webhooks ?? [], options.webhookRetry ?? {}, now);
  const seed = () => {
    state.teams = (options.teams ?? [{}]).map(buildTeam);
    state.personalApiKeys = (options.personalApiKeys ?? [{}]).map(buildKey);
    state.persons = [];
    state.tickets = [];
    state.messages = [];
    state.restoreTokens = [];
    state.outbox.length = 0;
    state.events.length = 0;
    requests.length = 0;
    throttles.reset();
    faults.clear();
    deliverer.deliveries.length = 0;
  };
  seed();

  const router = new Router();
  registerRoutes(router, { state, throttles }, [...widgetRoutes(state), ...restoreRoutes(state), ...externalRoutes(state), ...adminRoutes(state), ...settingsRoutes(state)]);
  browserRoutes(router, state);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) write(res, json(500, { type: 'server_error', code: 'error', detail: String(error), attr: null }));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { path, query } = parseTarget(req.url ?? '/');
    const method = req.method ?? 'GET';
    const cors = corsHeaders(req);
    if (method === 'OPTIONS' && req.headers['access-control-request-method']) return write(res, { status: 204 }, cors);
    const logged: EmulatorRequest = { at: now(), method, path, userAgent: req.headers['user-agent'] };
    requests.push(logged);
    res.once('finish', () => (logged.status = res.statusCode));
    if (requests.length > MAX_LOGGED_REQUESTS) requests.splice(0, requests.length - MAX_LOGGED_REQUESTS);
    const fault = faults.take(method, path);
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'reset' && !fault.afterHandling) return void req.socket.destroy();
    if (fault?.kind === 'status') return write(res, { status: fault.status, body: fault.body, ...(fault.headers ? { headers: fault.headers } : {}) }, cors);
    if (fault?.kind === 'malformed') return write(res, { status: 200, raw: '{"ticket_id": ', headers: { 'content-type': 'application/json' } }, cors);

    const text = method === 'GET' || method === 'HEAD' ? '' : await readRawBody(req);
    if (text === undefined) return write(res, bodyTooLarge(), cors);
    const route = router.match(method, path);
    if (route === undefined) return write(res, path.startsWith('/api/') ? endpointNotFound() : notFound(), cors);
    if (route === 'method-not-allowed') {
      return write(res, json(405, { type: 'invalid_request', code: 'method_not_allowed', detail: `Method "${method}" not allowed.`, attr: null }), cors);
    }
    // posthog-js sends /flags and capture bodies form-encoded or compressed: those routes never read them.
    let body: Record<string, unknown> | undefined;
    const ctx: Context = {
      req,
      method,
      path,
      query,
      get body() {
        return (body ??= parseBody(text, req.headers['content-type']));
      },
      params: route.params,
      header: (name) => {
        const value = req.headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      },
      ip: req.socket.remoteAddress ?? '127.0.0.1',
    };
    let answer: Answer;
    try {
      answer = await route.handler(ctx);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      answer = error.answer;
    }
    if (fault?.kind === 'reset') return void req.socket.destroy(); // acted, then lost the answer
    write(res, answer, cors);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  state.onEvent = (event) => deliverer.deliver(event, `${url}/project/${event.teamId}`);

  return {
    url,
    port: address.port,
    state,
    outbox: state.outbox,
    events: state.events,
    requests,
    faults,
    throttles,
    deliveries: deliverer.deliveries,
    webhooksIdle: () => deliverer.idle(),
    addWebhook: (webhook) => {
      checkWebhook(webhook, 'addWebhook');
      deliverer.add(webhook);
    },
    addTicket: (ticketSeed = {}) => state.addTicket(ticketSeed),
    addMessage: (ticket, messageSeed) => state.addMessage(ticket, messageSeed),
    addPerson: (person) => {
      const created: EmulatorPerson = { teamId: state.teams[0]!.id, properties: {}, ...person };
      state.persons.push(created);
      return created;
    },
    reset: seed,
    openConnections: () => new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    close: async () => {
      await deliverer.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

export type { FaultRule } from './faults.js';
export { signDelivery, type EmulatorDelivery, type EmulatorWebhook, type EmulatorWebhookRetry } from './webhooks.js';
export type { MessageSeed, TicketSeed } from './state.js';
export type {
  EmulatorEmail,
  EmulatorEvent,
  EmulatorMessage,
  EmulatorPerson,
  EmulatorPersonalApiKey,
  EmulatorTeam,
  EmulatorTicket,
  ThrottleRates,
} from './types.js';
