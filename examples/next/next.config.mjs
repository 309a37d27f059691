/** @type {import('next').NextConfig} */
// skipTrailingSlashRedirect: posthog-js calls /ingest/flags/ with its slash (PostHog's proxy docs).
export default { reactStrictMode: true, skipTrailingSlashRedirect: true };
