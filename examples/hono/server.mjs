// The Hono example on Node.js. With no POSTHOG_* variables it runs against the embedded emulator.
import { serve } from '@hono/node-server';
import { announce } from '../shared/posthog-env.mjs';

const { app } = await import('./app.mjs'); // after the environment is set
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 3000) }, ({ port }) =>
  announce('Hono', `http://127.0.0.1:${port}`),
);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.once('SIGINT', () => server.close(() => process.exit(0)));
