/**
 * posthog-conversations: a server-side SDK for PostHog's Support / Conversations widget.
 * Community-built; not affiliated with PostHog Inc.
 *
 * @packageDocumentation
 * @module posthog-conversations
 */
export * from './identity/index.js';
export {
  CONVERSATION_EVENT_NAMES,
  WebhookVerificationError,
  createWebhookHandler,
  createWebhookReceiver,
  createWebhookVerifier,
  parseConversationEvent,
  verifyWebhook,
  IdempotencyStoreError,
  memoryIdempotencyStore,
  redisIdempotencyStore,
  type IdempotencyClaim,
  type IdempotencyStore,
  type MemoryIdempotencyStoreOptions,
  type RedisCommandClient,
  type RedisIdempotencyStoreOptions,
  type WebhookIdempotencyOptions,
  type WebhookVerifier,
  type WebhookVerifierOptions,
  type WebhookAnswer,
  type WebhookReceiver,
  type WebhookReceiverOptions,
  type ConversationEvent,
  type ConversationEventName,
  type VerifyWebhookOptions,
  type WebhookDelivery,
  type WebhookEventEnvelope,
  type WebhookHeaders,
  type WebhookPerson,
  type WebhookVerificationCode,
} from './webhooks/index.js';
export {
  createInitSnippet,
  posthogInitSnippet,
  serializeForInlineScript,
  type InitSnippetRenderer,
  type PostHogInitSnippetOptions,
} from './adapter-kit/html.js';
export { createClient, PostHogConversationsClient, type ClientOptions } from './client.js';
export { diagnose, type DiagnoseOptions, type Diagnosis, type DoctorCheck } from './tools/doctor.js';
export {
  createIdentityResolver,
  identityEndpointAnswer,
  type DistinctIdResult,
  type IdentityResolver,
  type IdentityResolverOptions,
} from './adapter-kit/request-identity.js';
export type { RetryOptions } from './http/retry.js';
export type { RequestOptions } from './http/request-options.js';
export type { UnexpectedResponseReport } from './http/tolerant.js';
export {
  AbortedError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InvalidResponseError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionError,
  RateLimitedError,
  ResponseTooLargeError,
  ServerError,
  TimeoutError,
  type ApiErrorInit,
} from './http/errors.js';
export { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from './http/constants.js';
export type { WidgetClient } from './widget/client.js';
export type * from './widget/types.js';
export type { TicketsClient } from './admin/client.js';
export type {
  BulkUpdateStatusInput,
  BulkUpdateStatusResult,
  ComposeInput,
  ComposeResult,
  IterateTicketsInput,
  ListTicketsInput,
  MessagesPageInput,
  ReplyInput,
  Ticket,
  TicketMessage,
  TicketMessagesPage,
  TicketsPage,
  UpdateTicketInput,
} from './admin/schemas.js';
export type { ExternalClient, ExternalTicket, GetExternalTicketInput, UpdateExternalTicketInput } from './external/client.js';
export type {
  ConversationsConfig,
  ConversationsSettings,
  PersonalApiKeyInfo,
  RemoteConfigClient,
  RemoteConversationsConfig,
  SettingsClient,
  UpdateSettingsInput,
} from './admin/settings.js';

// The names before PostHog's casing, deprecated.
export * from './deprecated-names.js';
