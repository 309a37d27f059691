/**
 * `posthog-conversations/testing`: helpers for testing an app that uses this SDK, offline.
 * The local Conversations API emulator will live here.
 */
export { computeIdentityHash, IdentitySigner } from '../identity/index.js';
