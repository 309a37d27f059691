// The \`browser\` condition of \`posthog-conversations/next\`: \`server-only\` first, so Next.js fails
// the build of a client component that imports the helpers with its usual message; then the import
// that resolves nowhere (see browser.ts), so any other bundler fails the build naming the reason.
import 'server-only';
import './SERVER-ONLY posthog-conversations holds your Secret API key, which must never reach a browser. In the browser use posthog-conversations/widget';
import { SERVER_ONLY_MESSAGE } from './browser-message.js';

throw new Error(SERVER_ONLY_MESSAGE);
