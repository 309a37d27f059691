/**
 * The widget API (reference §1-2), as the browser widget calls it, from your server: send a message
 * as a visitor or a verified user, list their tickets and messages, mark read, and the restore flow.
 */
import type { z } from 'zod';
import { ConfigurationError } from '../errors.js';
import type { Transport } from '../http/transport.js';
import { parseInput, parseResponse } from '../http/validate.js';
import * as s from './schemas.js';

const BASE = '/api/conversations/v1/widget';

export interface WidgetClientOptions {
  /** The project's public widget token (`conversations_settings.widget_public_token`). */
  publicToken?: string | undefined;
  /**
   * Sent as `Origin` on calls the server checks against the allowed domains (send message,
   * restore). Needed when the project restricts widget domains.
   */
  origin?: string | undefined;
}

type Auth = z.output<typeof s.widgetAuth>;

/** The auth fields as the server reads them (JSON body for POST, query string for GET). */
function authFields(auth: Auth): Record<string, string | number | undefined> {
  return { widget_session_id: auth.widgetSessionId, ...auth.identity };
}

export class WidgetClient {
  readonly #transport: Transport;
  readonly #options: WidgetClientOptions;

  constructor(transport: Transport, options: WidgetClientOptions) {
    this.#transport = transport;
    this.#options = options;
  }

  /**
   * Sends a message as the visitor or verified user. Without `ticketId` a new ticket is created.
   * Not retried once it may have reached the server, so a message is never sent twice.
   *
   * @example
   * const { ticket_id } = await client.widget.sendMessage({ identity, message: 'Hello!' })
   */
  async sendMessage(input: s.SendMessageInput): Promise<s.SendMessageResult> {
    const v = parseInput(s.sendMessageInput, input);
    const body = {
      ...authFields(v),
      message: v.message,
      distinct_id: v.distinctId,
      ticket_id: v.ticketId ?? undefined,
      traits: v.traits,
      session_id: v.sessionId,
      session_context: v.sessionContext,
    };
    return this.#call('POST', `${BASE}/message`, { body, idempotent: false, signal: v.signal, origin: true }, s.sendMessageResponse);
  }

  /** One page of the visitor's or user's tickets, newest first. */
  async listTickets(input: s.ListWidgetTicketsInput): Promise<s.WidgetTicketsPage> {
    const v = parseInput(s.listTicketsInput, input);
    const query = { ...authFields(v), status: v.status, limit: v.limit, offset: v.offset };
    return this.#call('GET', `${BASE}/tickets`, { query, idempotent: true, signal: v.signal }, s.ticketsResponse);
  }

  /** Every ticket, page after page (`limit` per request, default 100). */
  async *iterateTickets(input: Omit<s.ListWidgetTicketsInput, 'offset'>): AsyncGenerator<s.WidgetTicket> {
    let offset = 0;
    for (;;) {
      const page = await this.listTickets({ ...input, offset });
      yield* page.results;
      offset += page.results.length;
      if (page.results.length === 0 || offset >= page.count) return;
    }
  }

  /** Public messages of a ticket, oldest first, after `after` (exclusive). Does not mark them read. */
  async getMessages(ticketId: string, input: s.GetMessagesInput): Promise<s.WidgetMessagesPage> {
    const id = parseInput(s.widgetAuth.shape.widgetSessionId.unwrap(), ticketId, 'ticketId');
    const v = parseInput(s.getMessagesInput, input);
    const query = { ...authFields(v), after: v.after, limit: v.limit };
    return this.#call('GET', `${BASE}/messages/${encodeURIComponent(id)}`, { query, idempotent: true, signal: v.signal }, s.messagesResponse);
  }

  /** Every public message of a ticket, following `has_more` with the last message's time. */
  async *iterateMessages(ticketId: string, input: s.GetMessagesInput): AsyncGenerator<s.WidgetMessage> {
    let after = input.after;
    for (;;) {
      const page = await this.getMessages(ticketId, { ...input, after });
      yield* page.messages;
      if (!page.has_more || page.messages.length === 0) return;
      after = page.messages.at(-1)!.created_at;
    }
  }

  /** Marks the team's replies on a ticket as read by the visitor. */
  async markRead(ticketId: string, input: s.WidgetAuthInput): Promise<s.MarkReadResult> {
    const id = parseInput(s.widgetAuth.shape.widgetSessionId.unwrap(), ticketId, 'ticketId');
    const v = parseInput(s.widgetAuth, input);
    // Setting a counter to zero twice is the same as once: safe to retry.
    return this.#call('POST', `${BASE}/messages/${encodeURIComponent(id)}/read`, { body: authFields(v), idempotent: true, signal: v.signal }, s.markReadResponse);
  }

  /**
   * Asks PostHog to email a restore link for the tickets filed under `email`. Always `{ ok: true }`
   * (the server does not reveal whether the email has tickets). `Origin` defaults to `requestUrl`'s.
   */
  async requestRestore(input: s.RequestRestoreInput): Promise<{ ok: boolean }> {
    const v = parseInput(s.requestRestoreInput, input);
    const origin = v.origin ?? this.#options.origin ?? new URL(v.requestUrl).origin;
    const body = { email: v.email, request_url: v.requestUrl };
    return this.#call('POST', `${BASE}/restore/request`, { body, idempotent: false, signal: v.signal, origin }, s.restoreRequestResponse);
  }

  /** Redeems a restore token: moves the tickets to `widgetSessionId`. Token problems are a `status`, not an error. */
  async redeemRestore(input: s.RedeemRestoreInput): Promise<s.RestoreRedeemResult> {
    const v = parseInput(s.redeemRestoreInput, input);
    const body = { restore_token: v.restoreToken, widget_session_id: v.widgetSessionId };
    const origin = v.origin ?? this.#options.origin;
    return this.#call('POST', `${BASE}/restore`, { body, idempotent: false, signal: v.signal, origin: origin ?? true }, s.restoreRedeemResponse);
  }

  async #call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    spec: { body?: unknown; query?: Record<string, string | number | undefined>; idempotent: boolean; signal: AbortSignal | undefined; origin?: string | true },
    schema: S,
  ): Promise<z.output<S>> {
    const token = this.#options.publicToken;
    if (token === undefined || token === '') {
      throw new ConfigurationError('Widget calls need publicToken: the widget_public_token from your Support settings (createClient({ publicToken })).');
    }
    const headers: Record<string, string> = { 'x-conversations-token': token };
    const origin = spec.origin === true ? this.#options.origin : spec.origin;
    if (origin !== undefined) headers.origin = origin;
    const answer = await this.#transport.send({ method, path, headers, body: spec.body, query: spec.query, idempotent: spec.idempotent, signal: spec.signal });
    return parseResponse(schema, answer.body, { method, path, status: answer.status });
  }
}
