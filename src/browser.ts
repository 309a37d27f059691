// Resolved through the package's `browser` export condition: a bundle for the browser gets this
// module instead of the signer, so a secret API token can never be shipped to users.
throw new Error(
  'posthog-conversations is server-only: it signs identities with your Secret API key, which must never reach a browser. ' +
    'Compute the identity on your server and pass only identity_distinct_id and identity_hash to the page.',
);
