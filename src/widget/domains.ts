/**
 * How PostHog matches a hostname against the widget's allowed domains (`widget_domains`, read with
 * `urlparse(entry).hostname`): an entry needs its scheme (`example.com` alone matches nothing), the
 * port and path are ignored, and `*` matches any run of characters. Used by `doctor` and the emulator.
 */

/** Whether a widget domains entry admits `hostname`: entries need a scheme; `*` matches anything. */
export function domainAllows(entry: string, hostname: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return false;
  const host = entry
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split(/[/?#]/)[0]!
    .replace(/:\d+$/, '')
    .toLowerCase();
  // Split on `*` and match the pieces in order: linear, whatever the entry.
  const pieces = host.split('*');
  if (pieces.length === 1) return host === hostname;
  if (!hostname.startsWith(pieces[0]!) || !hostname.endsWith(pieces.at(-1)!)) return false;
  let at = pieces[0]!.length;
  const end = hostname.length - pieces.at(-1)!.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = hostname.indexOf(piece, at);
    if (found === -1 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return at <= end;
}
