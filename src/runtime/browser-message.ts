/** What a browser bundle of this package throws as it starts. */
export const SERVER_ONLY_MESSAGE =
  'posthog-conversations is server-only: it signs identities with your Secret API key, which must never reach a browser. ' +
  'Compute the identity on your server and pass only identity_distinct_id and identity_hash to the page.';
