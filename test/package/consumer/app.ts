// Type-checked against the installed package's declarations, strict and without skipLibCheck.
import { IdentitySigner, createClient, type IdentityFields, type WebhookDelivery } from 'posthog-conversations';
import { computeIdentityHash } from 'posthog-conversations/identity';
import { verifyWebhook } from 'posthog-conversations/webhooks';
import { startEmulator } from 'posthog-conversations/testing';

const signer = new IdentitySigner({ secret: 'phs_s' });
const identity: IdentityFields = signer.identityFor('user_123', { email: 'ada@example.com' });
export const hash: string = computeIdentityHash(identity.identity_distinct_id, 'phs_s');

export async function main(): Promise<WebhookDelivery | undefined> {
  const emulator = await startEmulator();
  const client = createClient({ host: emulator.url, publicToken: 'pub' });
  await client.close();
  await emulator.close();
  try {
    return verifyWebhook({ payload: '{}', headers: {}, secret: 'whsec_AAAA' });
  } catch {
    return undefined;
  }
}
