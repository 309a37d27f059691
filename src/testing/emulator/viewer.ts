/**
 * Who is asking, as the widget views decide it (reference §1.2-1.3): the auth serializer, HMAC
 * identity verification with the server's secret order, the email-claim bridge, the session
 * bridge, and which tickets that viewer owns.
 */
import type { Fields } from './drf.js';
import { canonicalizeEmail, verifyServerEmailClaim, verifyServerIdentityHash } from './server-identity.js';
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
  const claim =
    present.length === 3
      ? { email: fields.data.identity_email, hash: fields.data.identity_hash_email, exp: fields.data.identity_exp_email }
      : undefined;
  return { sessionId, distinctId, hash, claim };
}

/**
 * `_identity_secrets` (widget.py), in order: the `SigningSecret`, then `secret_api_token`, then its
 * rotation backup. The signing secret counts only when there are no legacy secrets at all or it
 * equals the token; otherwise it is stale (a rotation it has not caught up with) and skipped.
 */
export function candidateSecrets(team: EmulatorTeam): string[] {
  const secrets: string[] = [];
  const legacy = team.secretApiToken !== null || team.secretApiTokenBackup !== null;
  if (team.signingSecret && (!legacy || team.signingSecret === team.secretApiToken)) secrets.push(team.signingSecret);
  if (team.secretApiToken) secrets.push(team.secretApiToken);
  if (team.secretApiTokenBackup) secrets.push(team.secretApiTokenBackup);
  return secrets;
}

/** Verifies the identity: a viewer, or `'forbidden'` for a bad hash or a team without secrets (no fallback). */
export function resolveViewer(team: EmulatorTeam, auth: ReturnType<typeof readAuthFields>, now: Date): Viewer | 'forbidden' {
  const viewer: Viewer = { sessionId: auth.sessionId, verifiedId: undefined, claimedEmail: undefined, identityHash: undefined };
  if (!auth.distinctId || !auth.hash) return viewer;
  const { distinctId, hash } = auth;
  const secrets = candidateSecrets(team);
  if (!secrets.some((secret) => verifyServerIdentityHash(distinctId, hash, secret))) return 'forbidden';
  viewer.verifiedId = distinctId;
  viewer.identityHash = hash;
  // Invalid, expired or tampered claims are ignored silently: the viewer keeps distinct-id access.
  const claim = auth.claim;
  const expiresAt = toExpiry(claim?.exp);
  if (claim && typeof claim.email === 'string' && typeof claim.hash === 'string' && claim.email !== '' && expiresAt !== undefined) {
    const signed = { distinctId, email: claim.email, hash: claim.hash, expiresAt };
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (secrets.some((secret) => verifyServerEmailClaim(signed, secret, nowSeconds))) viewer.claimedEmail = canonicalizeEmail(claim.email);
  }
  return viewer;
}

/** The claim's expiry as the serializer's IntegerField reads it (a number or a string of digits). */
function toExpiry(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
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
