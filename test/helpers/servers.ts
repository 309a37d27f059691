/**
 * The one way tests serve something over real HTTP: on 127.0.0.1, port 0, closed by the test
 * (open keep-alive connections included, so a close never waits on an idle fetch socket).
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, onTestFinished } from 'vitest';

/** A listening server, its base URL, and how to close it. */
export interface Served {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 and a free port. */
export async function listen(server: Server): Promise<Served> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A Node request listener (an Express app, a bare handler) served over HTTP. */
export function serve(listener: RequestListener): Promise<Served> {
  return listen(createServer(listener));
}

/** A Fetch handler (a Hono app's `fetch`, a Request => Response function) served over HTTP by @hono/node-server. */
export function serveFetch(fetch: (request: Request) => Response | Promise<Response>): Promise<Served> {
  return serve(getRequestListener(fetch));
}

/** Serves for the whole suite (or describe block): started before its tests, closed after them. */
export function serveDuringSuite(start: () => Promise<Served>): { readonly url: string } {
  let served: Served | undefined;
  beforeAll(async () => {
    served = await start();
  });
  afterAll(() => served?.close());
  return {
    get url() {
      if (served === undefined) throw new Error('the server is not started yet: read url inside a test');
      return served.url;
    },
  };
}

/** Serves for the current test only: closed when it ends, passed or failed. */
export async function serveDuringTest(start: Promise<Served>): Promise<Served> {
  const served = await start;
  onTestFinished(() => served.close());
  return served;
}
