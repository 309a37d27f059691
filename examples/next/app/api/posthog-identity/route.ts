import { posthog } from '../../../lib/posthog';

export const dynamic = 'force-dynamic';
export const { GET } = posthog;
