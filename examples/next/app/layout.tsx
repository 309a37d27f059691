import { posthog } from '../lib/posthog';
import { PostHogProvider } from './posthog-provider';

export const dynamic = 'force-dynamic'; // the identity is per user

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const apiHost = process.env.POSTHOG_HOST ?? 'https://us.i.posthog.com';
  const options = await posthog.initOptions({ api_host: apiHost });
  return (
    <html lang="en">
      <head>
        <script src={`${apiHost}/static/array.js`} async />
      </head>
      <body>
        <PostHogProvider apiKey={process.env.POSTHOG_PROJECT_API_KEY!} options={options}>
          {children}
        </PostHogProvider>
      </body>
    </html>
  );
}
