// The `browser` condition of `posthog-conversations/next`: `server-only` first, so Next.js fails
// the build of a client component that imports the helpers with its usual message; any other
// bundler fails to resolve it or throws here as the bundle starts.
import 'server-only';
import { SERVER_ONLY_MESSAGE } from './browser-message.js';

throw new Error(SERVER_ONLY_MESSAGE);
