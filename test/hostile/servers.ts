/**
 * Hostile servers on 127.0.0.1 for the hostile-input suite: each answers a request in one of the
 * ways a broken proxy, a slow network or an attacker can, so the tests can check that every call
 * still ends, within its deadline, with a typed error (or a typed result), never a hang or a crash.
 */
import type { RequestListener } from 'node:http';
import { serve, type Served } from '../helpers/servers.js';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** How a hostile server answers. */
export type Hostility =
  | 'informational-flood' // 103 Early Hints every 200 ms, never a final answer
  | 'processing-flood' // 102 Processing every 200 ms
  | 'silent' // accepts, reads, never answers
  | 'tls-silent' // a TCP peer that never answers a TLS hello (used with https://)
  | 'reset' // resets the connection as soon as the request arrives
  | 'half-headers' // a status line and one header, then nothing
  | 'trickle' // headers, then one byte of body every 100 ms
  | 'huge' // a 50 MiB body
  | 'malformed-json' // a 200 with a body that is not JSON
  | 'gzip' // a gzipped JSON body the client did not ask for
  | 'redirect' // a 302 to another host
  | 'garbage' // bytes that are not HTTP
  | 'wrong-shape' // a 200 with JSON of another shape
  | 'echo-key'; // a 401 that echoes the request's key: whole, without its prefix, escaped, in body and headers

export const HOSTILITIES: readonly Hostility[] = [
  'informational-flood',
  'processing-flood',
  'silent',
  'tls-silent',
  'reset',
  'half-headers',
  'trickle',
  'huge',
  'malformed-json',
  'gzip',
  'redirect',
  'garbage',
  'wrong-shape',
  'echo-key',
];

function onRequest(socket: Socket, handle: (head: string) => void): void {
  let seen = '';
  socket.on('data', (chunk) => {
    if (seen.includes('\r\n\r\n')) return;
    seen += chunk.toString('latin1');
    if (seen.includes('\r\n\r\n')) handle(seen);
  });
  socket.on('error', () => undefined);
}

function every(socket: Socket, ms: number, write: () => void): void {
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : write()), ms);
  socket.on('close', () => clearInterval(timer));
}

/** Answers every connection the hostile way, on raw TCP so nothing is normalised on the way. */
function answer(socket: Socket, hostility: Hostility): void {
  const json = (status: string, body: string | Buffer, extra = '') => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    socket.write(`HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${bytes.length}\r\n${extra}\r\n`);
    socket.write(bytes);
  };
  switch (hostility) {
    case 'informational-flood':
      return onRequest(socket, () =>
        every(socket, 200, () => socket.write('HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n')),
      );
    case 'processing-flood':
      return onRequest(socket, () => every(socket, 200, () => socket.write('HTTP/1.1 102 Processing\r\n\r\n')));
    case 'silent':
    case 'tls-silent':
      return onRequest(socket, () => undefined);
    case 'reset':
      return onRequest(socket, () => socket.resetAndDestroy());
    case 'half-headers':
      return onRequest(socket, () => socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n'));
    case 'trickle':
      return onRequest(socket, () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
        every(socket, 100, () => socket.write('1\r\n \r\n'));
      });
    case 'huge':
      return onRequest(socket, () => {
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${50 * 1024 * 1024}\r\n\r\n`);
        every(socket, 5, () => socket.write(Buffer.alloc(64 * 1024, 0x20)));
      });
    case 'malformed-json':
      return onRequest(socket, () => json('200 OK', '{"count": 1, "results": ['));
    case 'gzip':
      return onRequest(socket, () => json('200 OK', gzipSync('{"count":0,"results":[]}'), 'content-encoding: gzip\r\n'));
    case 'redirect':
      return onRequest(socket, () => json('302 Found', '{}', 'location: https://attacker.example/\r\n'));
    case 'garbage':
      return onRequest(socket, () => socket.end(Buffer.from('\x00\x01\x02 not http at all\r\n\r\n')));
    case 'wrong-shape':
      return onRequest(socket, () => json('200 OK', '[1, 2, 3]'));
    case 'echo-key':
      return onRequest(socket, (head) => {
        const key = /\r\n(?:authorization: Bearer |x-conversations-token: )(\S+)/i.exec(head)?.[1] ?? '';
        const bare = key.replace(/^ph[a-z]_/, '');
        const body = JSON.stringify({
          detail: `bad key ${key}; we saw ${bare} and ${key.replaceAll('_', '%5F')}`,
          raw: `${key.replaceAll('_', '\\u005f')}`,
        });
        json('401 Unauthorized', body, `x-echo: ${bare}\r\n`);
      });
  }
}

/** A hostile server and its URL (https:// for `tls-silent`). */
export async function hostileServer(hostility: Hostility): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    answer(socket, hostility);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${hostility === 'tls-silent' ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An ordinary HTTP server for the cases a raw socket does not need. */
export function httpServer(handler: RequestListener): Promise<Served> {
  return serve(handler);
}
