/** The emulator's data model: what a PostHog team, ticket and message look like to the Conversations API. */

/** A PostHog team (project) as far as Conversations is concerned. */
export interface EmulatorTeam {
  id: number;
  name: string;
  /** The public project API key (`phc_...`): the key of remote config. */
  projectApiKey: string;
  /** `conversations_settings.widget_public_token`, or null when conversations is off. */
  publicToken: string | null;
  /** The Secret API key (`phs_...`) that identities are signed with. */
  secretApiToken: string | null;
  /** The previous secret after a rotation, until deleted. */
  secretApiTokenBackup: string | null;
  /** The encrypted signing secret row (newest servers), tried first when it is not stale. */
  signingSecret: string | null;
  conversationsEnabled: boolean;
  /**
   * Project secret API keys (`phs_...`, PostHog's `ProjectSecretAPIKey`) with their scopes: the
   * external API's GET takes one with `support_ticket:read` (or `*`); its PATCH refuses them.
   */
  projectSecretApiKeys: Array<{ key: string; scopes: string[] }>;
  /** The team's email channel configurations (`tickets.compose` sends from one whose domain is verified). */
  emailConfigs: Array<{ id: string; fromEmail: string; domainVerified: boolean }>;
  /** `conversations_settings` other than the token. */
  settings: Record<string, unknown>;
}

/** A personal API key (`phx_...`) with its scopes (`ticket:read`, `ticket:write`, `project:write`, `*`...). */
export interface EmulatorPersonalApiKey {
  key: string;
  scopes: string[];
  /** Teams it can reach; `'all'` for every team. */
  teamIds: number[] | 'all';
  /** Organisation role of its user: only admins may regenerate tokens or rotate secrets. */
  role: 'admin' | 'member';
  /** Its user; `distinct_id` is the user's PostHog distinct id (events of their inbox actions carry it). */
  user: { id: number; email: string; first_name: string; distinct_id?: string | undefined };
}

/** A person: several distinct ids can belong to one (posthog.identify / alias). */
export interface EmulatorPerson {
  /** The person's UUID (what the inbox shows as `person.id`). */
  uuid: string;
  teamId: number;
  distinctIds: string[];
  properties: Record<string, unknown>;
}

/** A ticket in the emulator's state, with the model's fields. */
export interface EmulatorTicket {
  id: string;
  teamId: number;
  ticket_number: number;
  channel_source: string;
  channel_detail: string | null;
  distinct_id: string;
  widget_session_id: string;
  status: string;
  priority: string | null;
  assignee: { type: 'user' | 'role'; id: number | string } | null;
  anonymous_traits: Record<string, unknown>;
  ai_resolved: boolean;
  escalation_reason: string | null;
  created_at: Date;
  updated_at: Date;
  message_count: number;
  last_message_at: Date | null;
  last_message_text: string | null;
  unread_team_count: number;
  unread_customer_count: number;
  session_id: string | null;
  session_context: Record<string, unknown>;
  sla_due_at: Date | null;
  snoozed_until: Date | null;
  slack_channel_id: string | null;
  slack_thread_ts: string | null;
  slack_team_id: string | null;
  email_subject: string | null;
  email_from: string | null;
  email_to: string | null;
  cc_participants: string[];
  github_repo: string | null;
  github_issue_number: number | null;
  tags: string[];
  /** True for HMAC-verified widget tickets, false for anonymous ones, null for imported ones. */
  identity_verified: boolean | null;
  zendesk_ticket_id: string | null;
  /** PostHog's AI triage (`{}` until it ran; `result` is what the `ai_triage_result` filter reads). */
  ai_triage: Record<string, unknown>;
  organization_id: string | null;
  organization_id_source: 'person' | 'slack_channel_account' | null;
}

/** A message in the emulator's state. */
export interface EmulatorMessage {
  id: string;
  teamId: number;
  ticketId: string;
  /** `Comment.content` is `null=True`: a message with only rich content has none. */
  content: string | null;
  rich_content: unknown;
  item_context: Record<string, unknown>;
  /** The staff user who wrote it, for team replies. */
  created_by: { id: number; first_name: string; email: string; distinct_id?: string | undefined } | null;
  created_at: Date;
  deleted: boolean;
}

export interface EmulatorRestoreToken {
  teamId: number;
  tokenHash: string;
  recipientEmail: string;
  expiresAt: Date;
  consumedAt: Date | null;
  consumedByWidgetSessionId: string | null;
}

/** An email the server would have sent (restore links, new-ticket notifications). */
export interface EmulatorEmail {
  template: 'conversation_restore' | 'new_conversation_ticket';
  to: string[];
  subject: string;
  context: Record<string, unknown>;
}

/** An event the server would have captured into the team's project. */
export interface EmulatorEvent {
  teamId: number;
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
}

/** Throttle rates in DRF's notation (`'30/minute'`), by scope. */
export type ThrottleRates = Record<ThrottleScope, string>;
export type ThrottleScope =
  | 'widget_user_burst'
  | 'widget_team'
  | 'widget_user_poll'
  | 'widget_team_poll'
  | 'widget_restore_request'
  | 'widget_restore_redeem'
  | 'external_ticket_burst'
  | 'external_ticket_sustained';

export const DEFAULT_THROTTLE_RATES: ThrottleRates = {
  widget_user_burst: '30/minute',
  widget_team: '3600/hour',
  // The poll rates are not confirmed in PostHog's code; these match the write rates.
  widget_user_poll: '30/minute',
  widget_team_poll: '3600/hour',
  widget_restore_request: '3/hour',
  widget_restore_redeem: '10/minute',
  // ExternalTicketBurstThrottle and ExternalTicketSustainedThrottle (api/external.py).
  external_ticket_burst: '120/minute',
  external_ticket_sustained: '1200/hour',
};
