/**
 * The ticket enums of PostHog's `models/constants.py`, in one place for every emulator module: the
 * statuses and priorities are the SDK's own (one list for the client and the emulator).
 */
export { AI_TRIAGE_RESULTS, TICKET_PRIORITIES, TICKET_STATUSES } from '../../http/constants.js';

/** `Channel`: where a ticket came from. */
export const CHANNELS = ['widget', 'email', 'slack', 'teams', 'github'] as const;

/** `ChannelDetail`: the channel's sub-type. */
export const CHANNEL_DETAILS = [
  'slack_channel_message',
  'slack_bot_mention',
  'slack_emoji_reaction',
  'teams_channel_message',
  'teams_bot_mention',
  'widget_embedded',
  'widget_api',
  'github_issue',
] as const;

/** `order_by` values the ticket list allows; anything else is `-updated_at`. */
export const TICKET_ORDERINGS = ['updated_at', 'sla_due_at', 'snoozed_until', 'created_at', 'ticket_number'] as const;
