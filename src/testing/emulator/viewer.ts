/**
 * Who is asking, as the widget views decide it (reference §1.2-1.3): the auth serializer, HMAC
 * identity verification with the server's secret order, the email-claim bridge, the session
 * bridge, and which tickets that viewer owns.
 */
import { canonicalEmail, verifyEmailClaimWithKeys } from '../../identity/email-claim.js';
import { createHmacKey } from '../../identity/hmac.js';
import { isHashShaped, matchesAny } from '../../identity/keys.js';
import type { Fields } from './drf.js';
import type { EmulatorState } from './state.js';
import type { EmulatorTeam, EmulatorTicket } from './types.js';

export interface Viewer {
  /** The anonymous browser session, if sent. */
  sessionId: string | undefined;
  /** The HMAC-verified distinct id, if identity fields were sent and verified. */
  verifiedId: string | undefined;
  /** A verified email claim's canonical email. */
  claimedEmail: string | undefined;
  /** The raw identity hash, for the session id of tickets created in identity mode. */
  identityHash: string | undefined;
}

const CLAIM_FIELDS = ['identity_email', 'identity_hash_email', 'identity_exp_email'] as const;

/** `WidgetAuthSerializer`: reads the fields and records DRF errors on `fields`. */
export function readAuthFields(fields: Fields) {
  const sessionId = fields.uuid('widget_session_id');
  const distinctId = fields.char('identity_distinct_id', { max: 400 }) ?? undefined;
  let hash = fields.char('identity_hash', { min: 64, max: 64 }) ?? undefined;
  if (hash !== undefined && !/^[0-9a-fA-F]{64}$/.test(hash)) hash = fields.fail('identity_hash', 'Identity hash must be a hex string.');
  const present = CLAIM_FIELDS.filter((name) => fields.has(name));
  const legacyPair = present.length === 2 && !present.includes('identity_exp_email');
  if (present.length > 0 && present.length < 3 && !legacyPair) {
    fields.fail('non_field_errors', 'identity_email, identity_hash_email and identity_exp_email must be sent together');
  } else if (present.length > 0 && (!fields.has('identity_distinct_id') || !fields.has('identity_hash'))) {
    fields.fail('non_field_errors', 'An email claim requires identity_distinct_id and identity_hash');
  }
  if (sessionId === undefined && (!fields.has('identity_distinct_id') || !fields.has('identity_hash')) && fields.ok) {
    fields.fail('non_field_errors', 'Either widget_session_id or both identity_distinct_id and identity_hash are required');
  }
  const claim = present.length === 3 ? { email: fields.data.identity_email, hash: fields.data.identity_hash_email, exp: fields.data.identity_exp_email } : undefined;
  return { sessionId, distinctId, hash, claim };
}

/** The server's candidate secrets, in order: a signing secret that is not stale, the token, the backup. */
export function candidateSecrets(team: EmulatorTeam): string[] {
  const secrets: string[] = [];
  if (team.signingSecret && (!team.secretApiToken || team.signingSecret === team.secretApiToken)) secrets.push(team.signingSecret);
  if (team.secretApiToken) secrets.push(team.secretApiToken);
  if (team.secretApiTokenBackup) secrets.push(team.secretApiTokenBackup);
  return secrets;
}

/** Verifies the identity: a viewer, or `'forbidden'` for a bad hash or a team without secrets (no fallback). */
export function resolveViewer(team: EmulatorTeam, auth: ReturnType<typeof readAuthFields>, now: Date): Viewer | 'forbidden' {
  const viewer: Viewer = { sessionId: auth.sessionId, verifiedId: undefined, claimedEmail: undefined, identityHash: undefined };
  if (!auth.distinctId || !auth.hash) return viewer;
  const keys = candidateSecrets(team).map(createHmacKey);
  if (keys.length === 0 || !isHashShaped(auth.hash) || !matchesAny(keys, auth.distinctId, auth.hash)) return 'forbidden';
  viewer.verifiedId = auth.distinctId;
  viewer.identityHash = auth.hash;
  // Invalid, expired or tampered claims are ignored silently: the viewer keeps distinct-id access.
  if (auth.claim && typeof auth.claim.email === 'string') {
    const claim = { distinctId: auth.distinctId, email: auth.claim.email, hash: auth.claim.hash, exp: auth.claim.exp, now };
    if (verifyEmailClaimWithKeys(keys, claim)) viewer.claimedEmail = canonicalEmail(auth.claim.email);
  }
  return viewer;
}

/** How a viewer reaches a ticket: by its own distinct ids, through a verified email, through its session, or not. */
export function access(state: EmulatorState, viewer: Viewer, ticket: EmulatorTicket): 'identity' | 'email' | 'session' | undefined {
  if (viewer.verifiedId !== undefined) {
    if (state.personDistinctIds(ticket.teamId, viewer.verifiedId).includes(ticket.distinct_id)) return 'identity';
    const trusted = ticket.identity_verified === true || (ticket.identity_verified === null && ticket.zendesk_ticket_id !== null);
    if (viewer.claimedEmail !== undefined && trusted && ticket.distinct_id.toLowerCase() === viewer.claimedEmail) return 'email';
  }
  if (viewer.sessionId !== undefined && ticket.widget_session_id === viewer.sessionId) return 'session';
  return undefined;
}

/** A ticket's session id in identity mode: the first 32 hex characters of the hash, as a UUID. */
export function identitySessionId(hash: string): string {
  const h = hash.slice(0, 32).toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
