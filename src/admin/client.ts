/**
 * The private ticket API (reference §4.1) with a personal API key (`phx_...`, scopes `ticket:read`
 * / `ticket:write`): what an agent does in PostHog's Support inbox.
 */
import { PageProgress, iterateByOffset, sweepChangedSince } from '../http/paging.js';
import type { RequestOptions } from '../http/request-options.js';
import type { Transport } from '../http/transport.js';
import { parseInput } from '../http/validate.js';
import * as s from './schemas.js';

const asList = (value: string | readonly string[] | undefined) =>
  value === undefined ? undefined : typeof value === 'string' ? value : value.join(',');
const jsonList = (value: readonly string[] | undefined) => (value === undefined ? undefined : JSON.stringify(value));

const changedAt = (ticket: s.Ticket) => Date.parse(ticket.updated_at);

function ref(id: unknown): string {
  return encodeURIComponent(String(parseInput(s.ticketRef, id, 'ticket')));
}

/** `client.tickets`: the inbox's ticket API (needs `personalApiKey` and `projectId`). */
export class TicketsClient {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  #path(suffix: string): string {
    return this.#transport.projectPath(`conversations/tickets/${suffix}`);
  }

  /** One page of tickets with any of the inbox's filters; newest activity first unless `orderBy` says. */
  async list(input: s.ListTicketsInput = {}, options?: RequestOptions): Promise<s.TicketsPage> {
    const v = parseInput(s.listTicketsInput, input);
    const query = {
      status: asList(v.status),
      priority: asList(v.priority),
      channel_source: v.channelSource,
      channel_detail: v.channelDetail,
      assignee: v.assignee === undefined ? undefined : v.assignee === 'unassigned' ? 'unassigned' : `${v.assignee.type}:${v.assignee.id}`,
      date_from: v.dateFrom,
      date_to: v.dateTo,
      distinct_ids: asList(v.distinctIds),
      ids: asList(v.ids),
      emails: asList(v.emails),
      ai_triage_result: asList(v.aiTriageResult),
      search: v.search,
      sla: v.sla,
      snoozed: v.snoozed,
      tags: jsonList(v.tags),
      tags_all: jsonList(v.tagsAll),
      tags_exclude: jsonList(v.tagsExclude),
      order_by: v.orderBy,
      limit: v.limit,
      offset: v.offset,
    };
    return this.#transport.request(
      { method: 'GET', path: this.#path(''), auth: 'personal', query, idempotent: true, schema: s.ticketsPage },
      options,
    );
  }

  /**
   * Every matching ticket, fetching page after page as you iterate; none twice, none skipped by
   * tickets changing while you read. Without `orderBy` it goes by ticket number, newest first (a
   * number never changes). With `orderBy: '-updated_at'` (the inbox's order), tickets updated while
   * you read jump ahead of where the iteration is; they are picked up at the end, from the top of
   * the list. Ordered by another field that changes (`updated_at` ascending, `sla_due_at`,
   * `snoozed_until`), a ticket whose field changes while you read can be skipped: iterate by
   * number, or by `-updated_at`, when you need every ticket.
   */
  async *iterate(input: s.IterateTicketsInput = {}, options?: RequestOptions): AsyncGenerator<s.Ticket> {
    const v = parseInput(s.iterateTicketsInput, input);
    const orderBy = v.orderBy ?? '-ticket_number';
    const where = `GET ${this.#path('')}`;
    let since = Number.NaN;
    const fetchPage = async (offset: number) => {
      const page = await this.list({ ...input, orderBy, offset }, options);
      if (Number.isNaN(since)) since = Math.max(...page.results.map(changedAt), Number.NEGATIVE_INFINITY);
      return { items: page.results, hasMore: () => page.next !== null };
    };
    const progress = new PageProgress(where);
    yield* iterateByOffset(where, fetchPage, progress);
    if (orderBy === '-updated_at' && Number.isFinite(since)) yield* sweepChangedSince(progress, since, changedAt, fetchPage);
  }

  /** One ticket by UUID or ticket number. Like opening it in the inbox, this resets its unread count for the team. */
  async get(ticket: string | number, options?: RequestOptions): Promise<s.Ticket> {
    return this.#transport.request(
      { method: 'GET', path: this.#path(`${ref(ticket)}/`), auth: 'personal', idempotent: true, schema: s.ticket },
      options,
    );
  }

  /** Changes status, priority, assignee, snooze, SLA, traits or tags; returns the updated ticket. */
  async update(ticket: string | number, input: s.UpdateTicketInput, options?: RequestOptions): Promise<s.Ticket> {
    const path = this.#path(`${ref(ticket)}/`);
    const v = parseInput(s.updateTicketInput, input);
    const body = {
      status: v.status,
      priority: v.priority,
      sla_due_at: v.slaDueAt,
      snoozed_until: v.snoozedUntil,
      assignee: v.assignee,
      anonymous_traits: v.anonymousTraits,
      ai_resolved: v.aiResolved,
      escalation_reason: v.escalationReason,
      tags: v.tags,
    };
    // Every field sets an absolute value, so repeating the update changes nothing more: safe to retry.
    return this.#transport.request({ method: 'PATCH', path, auth: 'personal', body, idempotent: true, schema: s.ticket }, options);
  }

  /** Replies on the ticket's channel, or adds a private note (`isPrivate: true`). Never retried once sent. */
  async reply(ticket: string | number, input: s.ReplyInput, options?: RequestOptions): Promise<s.TicketMessage> {
    const path = this.#path(`${ref(ticket)}/reply/`);
    const v = parseInput(s.replyInput, input);
    const body = { message: v.message, is_private: v.isPrivate ?? false, rich_content: v.richContent };
    return this.#transport.request({ method: 'POST', path, auth: 'personal', body, idempotent: false, schema: s.message }, options);
  }

  /**
   * Opens a ticket by email: sends `message` to `recipientEmail` from the email channel
   * `emailConfigId` (status open, channel email). Never retried once sent.
   *
   * @example
   * const { id, ticket_number } = await client.tickets.compose({ recipientEmail: 'ada@example.com', emailConfigId, message: 'Your export is ready.' })
   */
  async compose(input: s.ComposeInput, options?: RequestOptions): Promise<s.ComposeResult> {
    const v = parseInput(s.composeInput, input);
    const body = {
      recipient_email: v.recipientEmail,
      email_config_id: v.emailConfigId,
      message: v.message,
      recipient_distinct_id: v.recipientDistinctId,
      email_subject: v.emailSubject,
      rich_content: v.richContent,
      tags: v.tags,
    };
    return this.#transport.request(
      { method: 'POST', path: this.#path('compose/'), auth: 'personal', body, idempotent: false, schema: s.composeResult },
      options,
    );
  }

  /** A page of the ticket's messages, oldest first, private notes included. */
  async messages(ticket: string | number, input: s.MessagesPageInput = {}, options?: RequestOptions): Promise<s.TicketMessagesPage> {
    const path = this.#path(`${ref(ticket)}/messages/`);
    const v = parseInput(s.pageInput, input);
    return this.#transport.request(
      { method: 'GET', path, auth: 'personal', query: { limit: v.limit, offset: v.offset }, idempotent: true, schema: s.messagesPage },
      options,
    );
  }

  /** Unread customer messages across open tickets (what the inbox badge shows). */
  async unreadCount(options?: RequestOptions): Promise<number> {
    const call = { method: 'GET', path: this.#path('unread_count/'), auth: 'personal', idempotent: true, schema: s.unreadCount } as const;
    return (await this.#transport.request(call, options)).count;
  }

  /**
   * Sets one status on many tickets. PostHog's own `bulk_update_status` action is in none of
   * `TicketViewSet`'s scope lists, so it refuses every personal API key; this does the same work
   * with calls a `ticket:write` key may make: it reads the tickets' statuses (`list` with `ids`,
   * which marks nothing read), then updates those not already in `status`, `concurrency` at a
   * time. A failed update does not stop the others: it is in `failed`, with its error.
   *
   * @example
   * const { updated, failed } = await client.tickets.bulkUpdateStatus({ ids, status: 'resolved' })
   * for (const { id, error } of failed) logger.warn({ id, error }, 'ticket not resolved')
   */
  async bulkUpdateStatus(input: s.BulkUpdateStatusInput, options?: RequestOptions): Promise<s.BulkUpdateStatusResult> {
    const v = parseInput(s.bulkUpdateInput, input);
    const wanted = [...new Set(v.ids.map((id) => id.toLowerCase()))];
    const toChange: string[] = [];
    for (let at = 0; at < wanted.length; at += 100) {
      const chunk = wanted.slice(at, at + 100);
      const page = await this.list({ ids: chunk, limit: 100 }, options);
      const asked = new Set(chunk);
      for (const ticket of page.results) if (asked.has(ticket.id.toLowerCase()) && ticket.status !== v.status) toChange.push(ticket.id);
    }
    const result: s.BulkUpdateStatusResult = { updated: 0, ids: [], failed: [] };
    let next = 0;
    const worker = async () => {
      while (next < toChange.length) {
        const id = toChange[next++]!;
        try {
          await this.update(id, { status: v.status }, options);
          result.ids.push(id);
        } catch (error) {
          if (options?.signal?.aborted) throw error; // the caller stopped the whole operation
          result.failed.push({ id, error: error as Error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(v.concurrency ?? 4, toChange.length) }, worker));
    result.updated = result.ids.length;
    return result;
  }
}
