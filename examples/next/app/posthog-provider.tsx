'use client';
// Runs in the browser: it gets the init options (identity included) from the server component,
// never the secret. posthog-js is loaded by the snippet in the layout.
import { useEffect } from 'react';

type PostHog = { init(key: string, options: object): void; setIdentity?(id: string, hash: string): void; clearIdentity?(): void };
declare global {
  interface Window {
    posthog?: PostHog;
  }
}

export function PostHogProvider({
  apiKey,
  options,
  children,
}: {
  apiKey: string;
  options: Record<string, unknown>;
  children: React.ReactNode;
}) {
  useEffect(() => {
    window.posthog?.init(apiKey, options);
  }, [apiKey, options]);
  return <>{children}</>;
}
