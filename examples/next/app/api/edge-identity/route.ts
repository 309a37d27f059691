// The same helper on the edge runtime: the package's edge-light condition picks its edge build.
import { posthog } from '../../../lib/posthog';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';
export const { GET } = posthog;
