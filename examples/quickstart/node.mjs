import { IdentitySigner, posthogInitSnippet } from 'posthog-conversations';

// Once, at start-up: the project's Secret API key (phs_...) from PostHog's Support settings.
const signer = new IdentitySigner({ secret: process.env.POSTHOG_SECRET_API_TOKEN });

// Per request, for the user your own auth resolved (never an id taken from the request):
const identity = signer.identityFor('user_123', { email: 'ada@example.com' });
console.log(identity);

// Into the page, after PostHog's loader snippet:
console.log(posthogInitSnippet({ projectApiKey: 'phc_your_project_key', identity }));

// Checking a hash, in constant time:
console.log(signer.verify('user_123', identity.identity_hash)); // true
