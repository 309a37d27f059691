/**
 * What posthog-js needs to show the real widget against the emulator: remote config (`config.js`),
 * `/flags`, the extension bundles from the installed `posthog-js` package, and capture endpoints.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { json, type Answer, type Router } from './http.js';
import { remoteConfig } from './settings.js';
import type { EmulatorState } from './state.js';

const BUNDLE = /^[\w.-]+\.js$/;

/** posthog-js's dist folder, from the app's own node_modules; undefined when it is not installed. */
function posthogJsDist(): string | undefined {
  try {
    return dirname(createRequire(join(process.cwd(), 'package.json')).resolve('posthog-js/dist/array.js'));
  } catch {
    return undefined;
  }
}

export function browserRoutes(router: Router, state: EmulatorState): void {
  const dist = posthogJsDist();
  const bundle = async (file: string | undefined): Promise<Answer> => {
    if (!dist || !file || !BUNDLE.test(file)) {
      return json(404, { detail: dist ? 'Not found.' : 'Install posthog-js beside the emulator to serve its bundles.' });
    }
    try {
      const raw = await readFile(join(dist, file), 'utf8');
      return { status: 200, raw, headers: { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-cache' } };
    } catch {
      return json(404, { detail: 'Not found.' });
    }
  };
  router.on('GET', '/static/:file', (ctx) => bundle(ctx.params.file));
  router.on('GET', '/static/:version/:file', (ctx) => bundle(ctx.params.file));

  router.on('GET', '/array/:projectApiKey/config.js', (ctx) => {
    const team = state.teams.find((t) => t.projectApiKey === ctx.params.projectApiKey);
    if (!team) return json(404, { detail: 'Not found.' });
    const key = JSON.stringify(team.projectApiKey);
    const raw = `(function(){window._POSTHOG_REMOTE_CONFIG=window._POSTHOG_REMOTE_CONFIG||{};window._POSTHOG_REMOTE_CONFIG[${key}]={config:${JSON.stringify(remoteConfig(team))},siteApps:[]};})();`;
    return { status: 200, raw, headers: { 'content-type': 'application/javascript; charset=utf-8' } };
  });

  // Emulator-only: the emails the server would have sent, for demos and tests in another process.
  router.on('GET', '/_emulator/outbox', () => json(200, state.outbox));

  // /flags (and the older /decide) with config: the same remote config, no flags.
  const flags = (): Answer => {
    const team = state.teams[0];
    return json(200, {
      featureFlags: {},
      featureFlagPayloads: {},
      errorsWhileComputingFlags: false,
      flags: {},
      ...(team ? remoteConfig(team) : {}),
    });
  };
  for (const path of ['/flags', '/flags/', '/decide', '/decide/']) {
    router.on('POST', path, flags);
    router.on('GET', path, flags);
  }
  // Capture: accepted and dropped (the emulator is about conversations).
  for (const path of ['/e', '/e/', '/i/v0/e', '/i/v0/e/', '/batch', '/batch/', '/s', '/s/', '/engage', '/engage/']) {
    router.on('POST', path, () => json(200, { status: 1 }));
  }
}
