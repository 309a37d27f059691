// Resolved through the package's `browser` export condition: a bundle for the browser gets this
// module instead of the signer, so a secret API token can never be shipped to users. package.json
// lists it in `sideEffects`, so no bundler drops it as unused.
import { SERVER_ONLY_MESSAGE } from './browser-message.js';

throw new Error(SERVER_ONLY_MESSAGE);
