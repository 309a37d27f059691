/**
 * A local PostHog Conversations API for tests, examples and offline development: the widget,
 * restore, admin, external, settings and remote-config endpoints of
 * `reference/posthog-conversations-api.md`, with the server's status codes and error bodies.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from '../../basics/errors.js';
import { adminRoutes } from './admin.js';
import { browserRoutes } from './browser.js';
import { externalRoutes } from './external.js';
import { Faults, type FaultRule } from './faults.js';
import { Router } from './http.js';
import { EMULATOR_DEFAULTS, buildKey, buildTeam, checkEmulatorOptions, checkWebhook, type EmulatorOptions } from './options.js';
import { restoreRoutes } from './restore.js';
import { registerRoutes } from './routes.js';
import { createEmulatorServer, type EmulatorRequest } from './server.js';
import { regeneratePublicToken, rotateSecretToken, settingsRoutes } from './settings.js';
import { EmulatorState, type MessageSeed, type TicketSeed } from './state.js';
import { Throttles } from './throttle.js';
import {
  DEFAULT_THROTTLE_RATES,
  type EmulatorEmail,
  type EmulatorEvent,
  type EmulatorMessage,
  type EmulatorPerson,
  type EmulatorTeam,
  type EmulatorTicket,
} from './types.js';
import { WebhookDeliverer, type EmulatorDelivery, type EmulatorWebhook } from './webhooks.js';
import { widgetRoutes } from './widget.js';

export { EMULATOR_DEFAULTS, type EmulatorOptions } from './options.js';
export type { EmulatorRequest } from './server.js';

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
  /**
   * What an admin's "regenerate" in PostHog's app does (PostHog refuses it to personal API keys):
   * a new widget public token for the team (default the first); the old one stops working at once.
   */
  regeneratePublicToken(teamId?: number): string;
  /**
   * What an admin's secret rotation in PostHog's app does (`Team.rotate_secret_token_and_save`):
   * a new `phs_` secret, the previous one kept as the backup, so hashes signed with it still verify
   * until `emulator.state.team(id).secretApiTokenBackup = null` (PostHog's "delete backup").
   */
  rotateSecretToken(teamId?: number): string;
  /** Back to the state it started with: teams and keys as configured, no tickets, empty outbox. */
  reset(): void;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
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
  const throttles = new Throttles(
    { ...DEFAULT_THROTTLE_RATES, ...(typeof configured === 'object' ? configured : {}) },
    configured !== false,
    now,
  );
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
  registerRoutes(router, [...widgetRoutes, ...restoreRoutes, ...externalRoutes, ...adminRoutes, ...settingsRoutes, ...browserRoutes]);

  const server = createEmulatorServer({ router, faults, requests, state, throttles });
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
      const created: EmulatorPerson = { uuid: randomUUID(), teamId: state.teams[0]!.id, properties: {}, ...person };
      state.persons.push(created);
      return created;
    },
    regeneratePublicToken: (teamId) => regeneratePublicToken(teamOf(state, teamId)),
    rotateSecretToken: (teamId) => rotateSecretToken(teamOf(state, teamId)),
    reset: seed,
    openConnections: () =>
      new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    close: async () => {
      await deliverer.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function teamOf(state: EmulatorState, teamId: number | undefined): EmulatorTeam {
  const team = teamId === undefined ? state.teams[0] : state.team(teamId);
  if (!team) throw new ConfigurationError(`the emulator has no team ${String(teamId)}`);
  return team;
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
