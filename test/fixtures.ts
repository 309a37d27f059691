import { readFileSync } from 'node:fs';

// Copies of the cross-language vectors made with PostHog's own Python formula
// (hmac.new(secret.encode(), distinct_id.encode(), hashlib.sha256).hexdigest()).
function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

export interface IdentityVector {
  distinct_id: string;
  secret: string;
  hash: string;
}
export interface EmailClaimVector {
  distinct_id: string;
  value: string;
  canonical_value: string;
  secret: string;
  exp: number;
  hash: string;
}

export const identityVectors = load<{ cases: IdentityVector[] }>('identity-vectors.json').cases;
export const emailClaimVectors = load<{ cases: EmailClaimVector[] }>('email-claim-vectors.json').cases;

/** A secret safe to use in tests; never a real one. */
export const SECRET = 'phs_test_secret_1234567890abcdef';

/** The error a synchronous call throws (fails the test if it returns). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

/** A `$conversation_ticket_created` webhook body as PostHog's default template sends it, for receiver tests. */
export function ticketCreatedBody(ticketId: string, ticketNumber = 1): string {
  return JSON.stringify({
    event: {
      uuid: 'e',
      event: '$conversation_ticket_created',
      distinct_id: 'd',
      timestamp: 't',
      properties: { ticket_id: ticketId, ticket_number: ticketNumber, channel_source: 'widget', status: 'new' },
    },
    person: null,
  });
}
