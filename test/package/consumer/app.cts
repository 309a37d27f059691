// The CommonJS side of the declarations (.d.cts), as a CommonJS TypeScript project sees them.
import { identityFor, type IdentityFields } from 'posthog-conversations';
import { verifyWebhook } from 'posthog-conversations/webhooks';

export const identity: IdentityFields = identityFor('user_123', { secret: 'phs_s' });
export const verify: typeof verifyWebhook = verifyWebhook;
