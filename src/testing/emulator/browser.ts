/**
 * What posthog-js needs to show the real widget against the emulator: remote config (`config.js`),
 * `/flags`, the extension bundles from the installed `posthog-js` package, and capture endpoints.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { json, type Answer, type Context } from './http.js';
import type { RouteSpec } from './routes.js';
import { remoteConfig } from './settings.js';

const BUNDLE = /^[\w.-]+\.js$/;

/** posthog-js's dist folder, from the app's own node_modules; undefined when it is not installed. */
function posthogJsDist(): string | undefined {
  try {
    return dirname(createRequire(join(process.cwd(), 'package.json')).resolve('posthog-js/dist/array.js'));
  } catch {
    return undefined;
  }
}

const dist = posthogJsDist();

async function bundle(file: string | undefined): Promise<Answer> {
  if (!dist || !file || !BUNDLE.test(file)) {
    return json(404, { detail: dist ? 'Not found.' : 'Install posthog-js beside the emulator to serve its bundles.' });
  }
  try {
    const raw = await readFile(join(dist, file), 'utf8');
    return { status: 200, raw, headers: { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-cache' } };
  } catch {
    return json(404, { detail: 'Not found.' });
  }
}

function configScript(ctx: Context): Answer {
  const team = ctx.state.teams.find((t) => t.projectApiKey === ctx.params.projectApiKey);
  if (!team) return json(404, { detail: 'Not found.' });
  const key = JSON.stringify(team.projectApiKey);
  const raw = `(function(){window._POSTHOG_REMOTE_CONFIG=window._POSTHOG_REMOTE_CONFIG||{};window._POSTHOG_REMOTE_CONFIG[${key}]={config:${JSON.stringify(remoteConfig(team))},siteApps:[]};})();`;
  return { status: 200, raw, headers: { 'content-type': 'application/javascript; charset=utf-8' } };
}

/** `/flags` (and the older `/decide`) with config: the same remote config, no flags. */
function flags(ctx: Context): Answer {
  const team = ctx.state.teams[0];
  return json(200, {
    featureFlags: {},
    featureFlagPayloads: {},
    errorsWhileComputingFlags: false,
    flags: {},
    ...(team ? remoteConfig(team) : {}),
  });
}

const open = (method: string, path: string, handler: (ctx: Context) => Answer | Promise<Answer>): RouteSpec => ({
  method,
  path,
  guard: 'none',
  handler,
});

/** The routes the browser widget loads, open to any caller as PostHog's are. */
export const browserRoutes: RouteSpec[] = [
  open('GET', '/static/:file', (ctx) => bundle(ctx.params.file)),
  open('GET', '/static/:version/:file', (ctx) => bundle(ctx.params.file)),
  open('GET', '/array/:projectApiKey/config.js', configScript),
  // Emulator-only: the emails the server would have sent, for demos and tests in another process.
  open('GET', '/_emulator/outbox', (ctx) => json(200, ctx.state.outbox)),
  ...['/flags', '/flags/', '/decide', '/decide/'].flatMap((path) => [open('POST', path, flags), open('GET', path, flags)]),
  // Capture: accepted and dropped (the emulator is about conversations).
  ...['/e', '/e/', '/i/v0/e', '/i/v0/e/', '/batch', '/batch/', '/s', '/s/', '/engage', '/engage/'].map((path) =>
    open('POST', path, () => json(200, { status: 1 })),
  ),
];
