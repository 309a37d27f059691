/**
 * Putting identity into an inline `<script>` safely. JSON alone is not enough inside HTML: a
 * `</script>` or `<!--` in a user's id would end or corrupt the script, and U+2028/U+2029 broke
 * JavaScript string literals before ES2019. Escaping `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`
 * keeps the value identical once parsed.
 */
import { ConfigurationError, ValidationError, describeType } from '../basics/errors.js';
import type { IdentityFields } from '../identity/identity-for.js';
import { assertConfigKeys, assertInputKeys } from '../basics/options.js';

const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/g;
const ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON for a value, safe to place anywhere inside an inline `<script>` element.
 *
 * @throws {ValidationError} for a value JSON cannot represent (undefined, a function, a BigInt, a cycle).
 * @example
 * `<script>window.__IDENTITY__ = ${serializeForInlineScript(identity)}</script>`
 */
export function serializeForInlineScript(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (cause) {
    throw new ValidationError('value', 'value cannot be serialized to JSON (a BigInt or a circular reference)', {
      cause,
    });
  }
  if (json === undefined) {
    throw new ValidationError('value', `value cannot be serialized to JSON, got ${describeType(value)}`);
  }
  return json.replace(UNSAFE_IN_SCRIPT, (ch) => ESCAPES[ch]!);
}

/** Options of {@link posthogInitSnippet}. */
export interface PostHogInitSnippetOptions {
  /** The public project API key (`phc_...`). Never a secret: it is published in the page. */
  projectApiKey: string;
  /** PostHog's API host. Default `https://us.i.posthog.com`. */
  apiHost?: string | undefined;
  /** The signed identity for a logged-in user (from `identityFor`), or null/undefined for a visitor. */
  identity?: IdentityFields | null | undefined;
  /** The CSP nonce of this response, if the page's Content-Security-Policy uses one. */
  nonce?: string | undefined;
  /** Any other `posthog.init` options, serialised as given. */
  options?: Record<string, unknown> | undefined;
}

const NONCE_PATTERN = /^[A-Za-z0-9+/_=-]{1,256}$/;

function assertPublicKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new ConfigurationError(`projectApiKey must be the public project API key (phc_...), got ${describeType(key)}`);
  }
  if (key.startsWith('phs_') || key.startsWith('phx_')) {
    throw new ConfigurationError(
      'projectApiKey looks like a secret (phs_... or phx_...) and would be published in the page. Pass the public project API key (phc_...) and revoke the exposed key if it was ever served.',
    );
  }
}

function toApiHost(host: unknown): string {
  if (host === undefined) return 'https://us.i.posthog.com';
  const url = typeof host === 'string' && URL.canParse(host) ? new URL(host) : undefined;
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigurationError('apiHost must be an http(s) URL such as https://eu.i.posthog.com');
  }
  return host as string;
}

/** Renders the `<script>` for one page: the identity of this request and the CSP nonce of this response. */
export type InitSnippetRenderer = (identity: IdentityFields | null | undefined, nonce?: string | undefined) => string;

/**
 * Checks the page-independent options once and returns a renderer for each request. The key,
 * host and extra options are serialised once; per request only the identity and nonce are added.
 *
 * @example
 * const renderInit = createInitSnippet({ projectApiKey: 'phc_...' })
 * html = `<head>${renderInit(identity, nonce)}</head>`
 */
export function createInitSnippet(options: Omit<PostHogInitSnippetOptions, 'identity' | 'nonce'>): InitSnippetRenderer {
  assertConfigKeys(options, RENDERER_KEYS, 'createInitSnippet options');
  assertPublicKey(options.projectApiKey);
  const apiHost = toApiHost(options.apiHost);
  const base = { api_host: apiHost, ...initOptions(options.options) };
  const key = serializeForInlineScript(options.projectApiKey);
  const anonymous = `posthog.init(${key},${serializeForInlineScript(base)})</script>`;
  // Per request only the identity is serialised, then spliced after the options made once here
  // (without identity fields, which the request's identity replaces).
  const notIdentity = Object.fromEntries(Object.entries(base).filter(([name]) => !name.startsWith('identity_')));
  const head = serializeForInlineScript(notIdentity).slice(0, -1); // `{"api_host":...` without its `}`
  const withIdentity = `posthog.init(${key},${head}${head === '{' ? '' : ','}`;
  return (identity, nonce) => {
    if (nonce !== undefined && (typeof nonce !== 'string' || !NONCE_PATTERN.test(nonce))) {
      throw new ValidationError('nonce', 'nonce must be a base64 or base64url string (the value from your CSP header)');
    }
    if (identity != null && (typeof identity !== 'object' || typeof identity.identity_hash !== 'string')) {
      throw new ValidationError('identity', 'identity must be the object identityFor() returns, or null for a visitor');
    }
    const open = nonce === undefined ? '<script>' : `<script nonce="${nonce}">`;
    if (identity == null) return open + anonymous;
    const fields = serializeForInlineScript(identity);
    // Only a plain object's fields can be spliced in (not what a custom toJSON returns).
    if (fields.charCodeAt(0) !== 0x7b || fields.length < 3) {
      throw new ValidationError('identity', 'identity must be the object identityFor() returns, or null for a visitor');
    }
    return `${open}${withIdentity}${fields.slice(1)})</script>`;
  };
}

const RENDERER_KEYS = ['projectApiKey', 'apiHost', 'options'] as const;
const SNIPPET_KEYS = [...RENDERER_KEYS, 'identity', 'nonce'] as const;

/**
 * The extra `posthog.init` options, checked: an `undefined` value is dropped (as JSON drops it), and
 * a value JSON cannot carry (a function, a symbol, a BigInt), at any depth, is an error rather than
 * an option silently lost from the page.
 */
function initOptions(extra: unknown): Record<string, unknown> {
  if (extra === undefined) return {};
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    throw new ValidationError('options.options', `options.options must be an object of posthog.init options, got ${describeType(extra)}`);
  }
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    if (name === '__proto__') throw new ValidationError('options.options.__proto__', PROTO_MESSAGE);
    const problem = unserializable(value, `options.options.${name}`, 0);
    if (problem !== undefined)
      throw new ValidationError(
        problem.path,
        `${problem.path} is ${problem.what}, which cannot be written into the page: posthog.init options must be JSON values`,
      );
    kept[name] = value;
  }
  return kept;
}

const PROTO_MESSAGE = 'options.options.__proto__ would set the prototype of the options object in the page, not an option';

function unserializable(value: unknown, path: string, depth: number): { path: string; what: string } | undefined {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return { path, what: `a ${typeof value}` };
  if (typeof value !== 'object' || value === null || depth > 32) return undefined;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined; // a Date, or the caller's own JSON form
  for (const [name, item] of Object.entries(value)) {
    if (name === '__proto__') return { path: `${path}.__proto__`, what: 'a key that an object literal reads as its prototype' };
    const problem = unserializable(item, Array.isArray(value) ? `${path}[${name}]` : `${path}.${name}`, depth + 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * A complete `<script>` element that calls `posthog.init` with the identity for this page, to put
 * after PostHog's loader snippet. Every value is escaped for an inline script, and the nonce is
 * checked so it cannot break out of its attribute. For one call per request with the same key,
 * {@link createInitSnippet} checks the options once.
 *
 * @example
 * res.send(`<head>${loaderSnippet}${posthogInitSnippet({ projectApiKey: 'phc_...', identity, nonce })}</head>`)
 */
export function posthogInitSnippet(options: PostHogInitSnippetOptions): string {
  assertInputKeys(options, SNIPPET_KEYS, 'posthogInitSnippet options');
  const { identity, nonce, ...page } = options;
  return createInitSnippet(page)(identity, nonce);
}

/** An adapter's `initScript`: page options kept by the app, this request's identity, the response's nonce. */
export type InitScriptRenderer = (
  page: Omit<PostHogInitSnippetOptions, 'identity'>,
  identity: IdentityFields | null | undefined,
  responseNonce?: string | undefined,
) => string;

/**
 * For adapters: renders the init script from the page options an app keeps (each options object
 * is checked and serialised once), with the nonce from the options or else the response's. Page
 * options that cannot be rendered (an unset `projectApiKey`, a secret in its place) are a
 * configuration problem, not the visitor's: the page is rendered without the widget and `report`
 * hears why, never a 500.
 */
export function createInitScriptRenderer(report: (error: ConfigurationError | ValidationError) => void): InitScriptRenderer {
  const renderers = new WeakMap<object, InitSnippetRenderer>();
  return (page, identity, responseNonce) => {
    let render = renderers.get(page);
    if (render === undefined) {
      const { nonce: _nonce, ...rest } = page; // the nonce is per response, passed below
      try {
        render = createInitSnippet(rest);
      } catch (error) {
        if (!(error instanceof ConfigurationError || error instanceof ValidationError)) throw error;
        report(new ConfigurationError(`initScript: ${error.message}. The page was rendered without the widget`, { cause: error }));
        render = () => '';
      }
      renderers.set(page, render);
    }
    return render(identity ?? null, page.nonce ?? responseNonce);
  };
}
