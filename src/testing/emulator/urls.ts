/**
 * URLs as the server handles them: Django's `URLValidator` (what DRF's `URLField` accepts) and
 * Python's `urllib.parse` query handling, for the restore link (`_build_restore_url`).
 */

// Django's URLValidator, from django/core/validators.py: the host is a domain with a TLD,
// localhost, or an IP address; only these schemes.
const UL = '\\u00a1-\\uffff';
const IPV4 = '(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)(?:\\.(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)){3}';
const IPV6 = '\\[[0-9a-f:.]+\\]';
const HOSTNAME = `[a-z${UL}0-9](?:[a-z${UL}0-9-]{0,61}[a-z${UL}0-9])?`;
const DOMAIN = `(?:\\.(?!-)[a-z${UL}0-9-]{1,63}(?<!-))*`;
const TLD = `\\.(?!-)(?:[a-z${UL}-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?`;
const HOST = `(${HOSTNAME}${DOMAIN}${TLD}|localhost)`;
const URL_RE = new RegExp(
  `^(?:[a-z0-9.+-]*)://(?:[^\\s:@/]+(?::[^\\s:@/]*)?@)?(?:${IPV4}|${IPV6}|${HOST})(?::[0-9]{1,5})?(?:[/?#][^\\s]*)?$`,
  'iu',
);
const SCHEMES = ['http', 'https', 'ftp', 'ftps'];

/** Whether `URLValidator()` accepts the value (at most 2048 characters, as `URLField` has it). */
export function isDjangoUrl(value: string): boolean {
  if (value.length > 2048) return false;
  const scheme = value.split('://')[0]!.toLowerCase();
  if (!SCHEMES.includes(scheme)) return false;
  if (!URL_RE.test(value)) return false;
  const port = /^[^/?#]*?:\/\/[^/?#]*:(\d+)(?:[/?#]|$)/.exec(value)?.[1];
  return port === undefined || Number(port) <= 65_535;
}

/** `unquote_plus`, keeping a malformed escape as it is rather than failing. */
function unquotePlus(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return '\ufffd';
      }
    });
  }
}

/** `quote_plus`: letters, digits and `_.-~` kept, a space as `+`, the rest as UTF-8 `%XX`. */
function quotePlus(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/**
 * `_build_restore_url`: the page's URL with `ph_conv_restore` set, as `parse_qs` + `urlencode`
 * rebuild it: blank parameters dropped, the rest re-encoded, the fragment dropped, the rest of the
 * URL (host, port, path) as the browser sent it.
 */
export function buildRestoreUrl(base: string, token: string): string {
  const withoutFragment = base.split('#')[0]!;
  const mark = withoutFragment.indexOf('?');
  const head = mark === -1 ? withoutFragment : withoutFragment.slice(0, mark);
  const query = mark === -1 ? '' : withoutFragment.slice(mark + 1);
  const params = new Map<string, string[]>();
  for (const part of query.split('&')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue; // no value: blank, dropped
    const name = unquotePlus(part.slice(0, equals));
    const value = unquotePlus(part.slice(equals + 1));
    if (value === '') continue;
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  params.set('ph_conv_restore', [token]);
  const encoded = [...params].flatMap(([name, values]) => values.map((value) => `${quotePlus(name)}=${quotePlus(value)}`)).join('&');
  return `${head}?${encoded}`;
}
