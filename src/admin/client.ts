/**
 * The private ticket API (reference §4.1) with a personal API key (`phx_...`, scopes `ticket:read`
 * / `ticket:write`): what an agent does in PostHog's Support inbox.
 */
import type { z } from 'zod';
import { ConfigurationError } from '../errors.js';
import type { QueryValue, Transport } from '../http/transport.js';
import { parseInput, parseResponse } from '../http/validate.js';
import * as s from './schemas.js';

export interface AdminCredentials {
  personalApiKey?: string | undefined;
  projectId?: number | string | undefined;
}

/** Shared by the tickets and settings clients: personal API key auth and the project's base path. */
export class AdminApi {
  readonly #transport: Transport;
  readonly #credentials: AdminCredentials;

  constructor(transport: Transport, credentials: AdminCredentials) {
    this.#transport = transport;
    this.#credentials = credentials;
  }

  projectPath(suffix: string): string {
    const { personalApiKey, projectId } = this.#credentials;
    if (!personalApiKey) throw new ConfigurationError('This call needs personalApiKey: a personal API key (phx_...) with the right scopes (createClient({ personalApiKey, projectId })).');
    if (projectId === undefined || !/^\d+$/.test(String(projectId))) {
      throw new ConfigurationError('This call needs projectId: the numeric id in your PostHog project URL (createClient({ projectId })).');
    }
    return `/api/projects/${projectId}/${suffix}`;
  }

  async call<S extends z.ZodType>(
    schema: S,
    spec: { method: 'GET' | 'POST' | 'PATCH'; path: string; query?: Record<string, QueryValue | readonly string[]>; body?: unknown; idempotent: boolean; signal?: AbortSignal | undefined },
  ): Promise<z.output<S>> {
    const headers = { authorization: `Bearer ${this.#credentials.personalApiKey}` };
    const answer = await this.#transport.send({ ...spec, headers });
    return parseResponse(schema, answer.body, { method: spec.method, path: spec.path, status: answer.status });
  }
}

const asList = (value: string | readonly string[] | undefined) => (value === undefined ? undefined : typeof value === 'string' ? value : value.join(','));
const jsonList = (value: readonly string[] | undefined) => (value === undefined ? undefined : JSON.stringify(value));
const date = (value: string | undefined) => value;

function ref(id: unknown): string {
  return encodeURIComponent(String(parseInput(s.ticketRef, id, 'ticket')));
}

export class TicketsClient {
  readonly #api: AdminApi;
  constructor(api: AdminApi) {
    this.#api = api;
  }

  /** One page of tickets with any of the inbox's filters; newest activity first unless `orderBy` says. */
  async list(input: s.ListTicketsInput = {}): Promise<s.TicketsPage> {
    const v = parseInput(s.listTicketsInput, input);
    const query = {
      status: asList(v.status), priority: asList(v.priority), channel_source: v.channelSource, channel_detail: v.channelDetail,
      assignee: v.assignee === undefined ? undefined : v.assignee === 'unassigned' ? 'unassigned' : `${v.assignee.type}:${v.assignee.id}`,
      date_from: date(v.dateFrom), date_to: date(v.dateTo), distinct_ids: asList(v.distinctIds), search: v.search, sla: v.sla,
      snoozed: v.snoozed, tags: jsonList(v.tags), tags_all: jsonList(v.tagsAll), tags_exclude: jsonList(v.tagsExclude),
      order_by: v.orderBy, limit: v.limit, offset: v.offset,
    };
    return this.#api.call(s.ticketsPage, { method: 'GET', path: this.#api.projectPath('conversations/tickets/'), query, idempotent: true, signal: v.signal });
  }

  /** Every matching ticket, fetching page after page as you iterate. */
  async *iterate(input: Omit<s.ListTicketsInput, 'offset'> = {}): AsyncGenerator<s.Ticket> {
    let offset = 0;
    for (;;) {
      const page = await this.list({ ...input, offset });
      yield* page.results;
      offset += page.results.length;
      if (page.next === null || page.results.length === 0) return;
    }
  }

  /** One ticket by UUID or ticket number. Like opening it in the inbox, this resets its unread count for the team. */
  async get(ticket: string | number, options: { signal?: AbortSignal } = {}): Promise<s.Ticket> {
    return this.#api.call(s.ticket, { method: 'GET', path: this.#api.projectPath(`conversations/tickets/${ref(ticket)}/`), idempotent: true, signal: options.signal });
  }

  /** Changes status, priority, assignee, snooze, SLA, traits or tags; returns the updated ticket. */
  async update(ticket: string | number, input: s.UpdateTicketInput): Promise<s.Ticket> {
    const path = this.#api.projectPath(`conversations/tickets/${ref(ticket)}/`);
    const v = parseInput(s.updateTicketInput, input);
    const body = {
      status: v.status, priority: v.priority, sla_due_at: v.slaDueAt, snoozed_until: v.snoozedUntil, assignee: v.assignee,
      anonymous_traits: v.anonymousTraits, ai_resolved: v.aiResolved, escalation_reason: v.escalationReason, tags: v.tags,
    };
    // Every field sets an absolute value, so repeating the update changes nothing more: safe to retry.
    return this.#api.call(s.ticket, { method: 'PATCH', path, body, idempotent: true, signal: v.signal });
  }

  /** Replies on the ticket's channel, or adds a private note (`isPrivate: true`). Never retried once sent. */
  async reply(ticket: string | number, input: s.ReplyInput): Promise<s.TicketMessage> {
    const path = this.#api.projectPath(`conversations/tickets/${ref(ticket)}/reply/`);
    const v = parseInput(s.replyInput, input);
    const body = { message: v.message, is_private: v.isPrivate ?? false, rich_content: v.richContent };
    return this.#api.call(s.message, { method: 'POST', path, body, idempotent: false, signal: v.signal });
  }

  /** A page of the ticket's messages, oldest first, private notes included. */
  async messages(ticket: string | number, input: s.MessagesPageInput = {}): Promise<s.TicketMessagesPage> {
    const path = this.#api.projectPath(`conversations/tickets/${ref(ticket)}/messages/`);
    const v = parseInput(s.pageInput, input);
    return this.#api.call(s.messagesPage, { method: 'GET', path, query: { limit: v.limit, offset: v.offset }, idempotent: true, signal: v.signal });
  }

  /** Unread customer messages across open tickets (what the inbox badge shows). */
  async unreadCount(options: { signal?: AbortSignal } = {}): Promise<number> {
    const path = this.#api.projectPath('conversations/tickets/unread_count/');
    return (await this.#api.call(s.unreadCount, { method: 'GET', path, idempotent: true, signal: options.signal })).count;
  }

  /** Sets one status on many tickets. */
  async bulkUpdateStatus(input: s.BulkUpdateStatusInput): Promise<s.BulkUpdateStatusResult> {
    const path = this.#api.projectPath('conversations/tickets/bulk_update_status/');
    const v = parseInput(s.bulkUpdateInput, input);
    return this.#api.call(s.bulkUpdateResult, { method: 'POST', path, body: { ids: v.ids, status: v.status }, idempotent: false, signal: v.signal });
  }
}
