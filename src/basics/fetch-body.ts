/** Fetch plumbing every layer shares: the `fetch` a caller may pass, and the capped reading of bodies. */

/** A `fetch` to send with: the runtime's own, or one you pass in (a test double, a Worker's service binding). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** `chunks` (of `size` bytes in all) as one array; the chunk itself when there is only one. */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads a Fetch `Request`'s (or `Response`'s) body up to `cap` bytes; `undefined` when it is larger (answer 413). */
export async function readFetchBody(request: Pick<Request, 'headers' | 'body'>, cap: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > cap) return undefined;
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > cap) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return concatBytes(chunks, size);
}
