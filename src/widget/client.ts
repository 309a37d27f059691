/**
 * The widget API (reference §1-2), as the browser widget calls it, from your server: send a message
 * as a visitor or a verified user, list their tickets and messages, mark read, and the restore flow.
 */
import type * as z from 'zod';
import { InvalidResponseError } from '../http/errors.js';
import { PageProgress, iterateByOffset } from '../http/paging.js';
import type { RequestOptions } from '../http/request-options.js';
import type { Transport } from '../http/transport.js';
import { parseInput } from '../http/validate.js';
import * as s from './schemas.js';

const BASE = '/api/conversations/v1/widget';

type Auth = { widgetSessionId?: string | undefined; identity?: z.output<typeof s.widgetAuth>['identity'] };

/** The auth fields as the server reads them (JSON body for POST, query string for GET). */
function authFields(auth: Auth): Record<string, string | number | undefined> {
  return { widget_session_id: auth.widgetSessionId, ...auth.identity };
}

const ticketIdOf = (ticketId: unknown) => encodeURIComponent(parseInput(s.widgetTicketId, ticketId, 'ticketId'));

/** `client.widget`: the widget API (needs `publicToken`). */
export class WidgetClient {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** `Origin` for calls the server checks against the allowed domains: the call's, else the client's. */
  #origin(origin: string | undefined): Record<string, string> | undefined {
    const value = origin ?? this.#transport.origin;
    return value === undefined ? undefined : { origin: value };
  }

  /**
   * Sends a message as the visitor or verified user. Without `ticketId` a new ticket is created.
   * Not retried once it may have reached the server, so a message is never sent twice.
   *
   * @example
   * const { ticket_id } = await client.widget.sendMessage({ identity, message: 'Hello!' })
   */
  async sendMessage(input: s.SendMessageInput, options?: RequestOptions): Promise<s.SendMessageResult> {
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
    const call = {
      method: 'POST',
      path: `${BASE}/message`,
      auth: 'widget',
      body,
      headers: this.#origin(undefined),
      idempotent: false,
      schema: s.sendMessageResponse,
    } as const;
    return this.#transport.request(call, options);
  }

  /** One page of the visitor's or user's tickets, newest first. */
  async listTickets(input: s.ListWidgetTicketsInput, options?: RequestOptions): Promise<s.WidgetTicketsPage> {
    const v = parseInput(s.listTicketsInput, input);
    const query = { ...authFields(v), status: v.status, limit: v.limit, offset: v.offset };
    return this.#transport.request(
      { method: 'GET', path: `${BASE}/tickets`, auth: 'widget', query, idempotent: true, schema: s.ticketsResponse },
      options,
    );
  }

  /** Every ticket, page after page (`limit` per request, default 100); none twice, even if the list shifts while you read. */
  async *iterateTickets(input: s.IterateWidgetTicketsInput, options?: RequestOptions): AsyncGenerator<s.WidgetTicket> {
    parseInput(s.iterateTicketsInput, input);
    yield* iterateByOffset(`GET ${BASE}/tickets`, async (offset) => {
      const page = await this.listTickets({ ...input, offset }, options);
      return { items: page.results, hasMore: (next) => next < page.count };
    });
  }

  /** Public messages of a ticket, oldest first, after `after` (exclusive). Does not mark them read. */
  async getMessages(ticketId: string, input: s.GetMessagesInput, options?: RequestOptions): Promise<s.WidgetMessagesPage> {
    const path = `${BASE}/messages/${ticketIdOf(ticketId)}`;
    const v = parseInput(s.getMessagesInput, input);
    const query = { ...authFields(v), after: v.after, limit: v.limit };
    return this.#transport.request({ method: 'GET', path, auth: 'widget', query, idempotent: true, schema: s.messagesResponse }, options);
  }

  /**
   * Every public message of a ticket, oldest first, none lost and none twice. The server pages by
   * time (`created_at > after`), so each next page starts after the last timestamp *before* the
   * final one of this page: messages sharing a timestamp across a page boundary are all seen.
   */
  async *iterateMessages(ticketId: string, input: s.GetMessagesInput, options?: RequestOptions): AsyncGenerator<s.WidgetMessage> {
    const progress = new PageProgress(`GET ${BASE}/messages/${ticketIdOf(ticketId)}`);
    let after = input.after;
    for (;;) {
      const page = await this.getMessages(ticketId, { ...input, after }, options);
      const fresh = progress.fresh(page.messages);
      yield* fresh;
      progress.assertProgress(fresh.length, page.messages.length);
      if (!page.has_more || page.messages.length === 0) return;
      const last = page.messages.at(-1)!.created_at;
      const next = page.messages.findLast((message) => message.created_at !== last)?.created_at;
      if (next === undefined) {
        // A whole page shares one timestamp: the server cannot page past it with `after`.
        throw new InvalidResponseError(
          `a full page of ${page.messages.length} messages shares the timestamp ${last}; raise limit (up to 500) to read past it`,
          {
            status: 200,
            path: `${BASE}/messages`,
            body: undefined,
          },
        );
      }
      after = next;
    }
  }

  /** Marks the team's replies on a ticket as read by the visitor. */
  async markRead(ticketId: string, input: s.WidgetAuthInput, options?: RequestOptions): Promise<s.MarkReadResult> {
    const path = `${BASE}/messages/${ticketIdOf(ticketId)}/read`;
    const v = parseInput(s.widgetAuth, input);
    // Setting a counter to zero twice is the same as once: safe to retry.
    return this.#transport.request(
      { method: 'POST', path, auth: 'widget', body: authFields(v), idempotent: true, schema: s.markReadResponse },
      options,
    );
  }

  /**
   * Asks PostHog to email a restore link for the tickets filed under `email`. Always `{ ok: true }`
   * (the server does not reveal whether the email has tickets). `Origin` defaults to `requestUrl`'s.
   */
  async requestRestore(input: s.RequestRestoreInput, options?: RequestOptions): Promise<{ ok: boolean }> {
    const v = parseInput(s.requestRestoreInput, input);
    const headers = { origin: v.origin ?? this.#transport.origin ?? new URL(v.requestUrl).origin };
    const body = { email: v.email, request_url: v.requestUrl };
    return this.#transport.request(
      {
        method: 'POST',
        path: `${BASE}/restore/request`,
        auth: 'widget',
        body,
        headers,
        idempotent: false,
        schema: s.restoreRequestResponse,
      },
      options,
    );
  }

  /** Redeems a restore token: moves the tickets to `widgetSessionId`. Token problems are a `status`, not an error. */
  async redeemRestore(input: s.RedeemRestoreInput, options?: RequestOptions): Promise<s.RestoreRedeemResult> {
    const v = parseInput(s.redeemRestoreInput, input);
    const body = { restore_token: v.restoreToken, widget_session_id: v.widgetSessionId };
    const call = {
      method: 'POST',
      path: `${BASE}/restore`,
      auth: 'widget',
      body,
      headers: this.#origin(v.origin),
      idempotent: false,
      schema: s.restoreRedeemResponse,
    } as const;
    return this.#transport.request(call, options);
  }
}
