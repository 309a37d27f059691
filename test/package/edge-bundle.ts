import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { runNode } from './run-node.js';

/** Resolves `posthog-conversations[/sub]` the way Node does under the edge-light condition, through the exports map. */
const packageUnderEdgeCondition: Plugin = {
  name: 'posthog-conversations-edge-light',
  setup(plugin) {
    plugin.onResolve({ filter: /^posthog-conversations(\/.*)?$/ }, ({ path }) => ({
      path: fileURLToPath(runNode(`console.log(import.meta.resolve(${JSON.stringify(path)}))`, { conditions: ['edge-light'] }).trim()),
    }));
  },
};

/**
 * Bundles a file as an edge runtime's bundler would (edge-light condition, no Node built-ins:
 * a node:* import fails the build) into a script that sets `globalThis[globalName]`.
 */
export async function bundleForEdge(entry: string, globalName: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
    platform: 'neutral',
    conditions: ['edge-light'],
    plugins: [packageUnderEdgeCondition],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
