// Resolved through the package's \`browser\` export condition: a bundle for the browser gets this
// module instead of the signer, so a secret API token can never be shipped to users. Its first
// import resolves nowhere, so the bundler fails the build naming the reason (the specifier is the
// sentence); the throw is for anything that runs it regardless. package.json
// lists it in \`sideEffects\`, so no bundler drops it as unused.
import './SERVER-ONLY posthog-conversations holds your Secret API key, which must never reach a browser. In the browser use posthog-conversations/widget';
import { SERVER_ONLY_MESSAGE } from './browser-message.js';

throw new Error(SERVER_ONLY_MESSAGE);
