import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, ValidationError, identityFor, posthogInitSnippet, serializeForInlineScript } from '../src/index.js';
import { SECRET } from './fixtures.js';

const HOSTILE = ['</script><script>alert(1)</script>', '</SCRIPT >', '<!--', '-->', '\u2028', '\u2029', '&amp;', '"\'`\\', '🦔'];

/** The body of the first <script> element, read the way an HTML parser finds its end. */
function scriptBody(html: string): string {
  const open = html.indexOf('>') + 1;
  const close = html.search(/<\/script/i);
  return html.slice(open, close);
}

describe('serializeForInlineScript', () => {
  it.each(HOSTILE)('keeps %j from ending the script or corrupting it, and round-trips', (text) => {
    const value = { id: text, nested: [text] };
    const json = serializeForInlineScript(value);
    expect(json).not.toMatch(/<\/script|<!--|-->|[\u2028\u2029<>&]/i);
    expect(JSON.parse(json)).toEqual(value);
    expect(runInNewContext(`(${json})`)).toEqual(value);
  });

  it('keeps lone surrogates as escapes rather than invalid UTF-8', () => {
    expect(serializeForInlineScript('a\uD800b')).toBe('"a\\ud800b"');
  });

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
    ['a bigint', 1n],
  ])('rejects %s with a ValidationError', (_, value) => {
    expect(() => serializeForInlineScript(value)).toThrow(ValidationError);
  });

  it('rejects a circular value', () => {
    const value: Record<string, unknown> = {};
    value.self = value;
    expect(() => serializeForInlineScript(value)).toThrow(/circular/);
  });
});

describe('posthogInitSnippet', () => {
  const run = (html: string) => {
    const calls: unknown[][] = [];
    runInNewContext(scriptBody(html), { posthog: { init: (...args: unknown[]) => calls.push(args) } });
    return calls;
  };

  it('calls posthog.init with the key, host, options and identity, even for a hostile id', () => {
    for (const text of HOSTILE) {
      const identity = identityFor(`user${text}x`, { secret: SECRET });
      const html = posthogInitSnippet({ projectApiKey: 'phc_public', identity, options: { person_profiles: 'identified_only' } });
      expect(html.match(/<\/script/gi)).toHaveLength(1);
      expect(run(html)).toEqual([['phc_public', { api_host: 'https://us.i.posthog.com', person_profiles: 'identified_only', ...identity }]]);
    }
  });

  it('leaves identity out for a logged-out visitor', () => {
    expect(run(posthogInitSnippet({ projectApiKey: 'phc_public', apiHost: 'https://eu.i.posthog.com', identity: null }))).toEqual([
      ['phc_public', { api_host: 'https://eu.i.posthog.com' }],
    ]);
  });

  it('adds a CSP nonce attribute and refuses one that could break out of it', () => {
    expect(posthogInitSnippet({ projectApiKey: 'phc_public', nonce: 'rAnd0m+/=_-' })).toMatch(/^<script nonce="rAnd0m\+\/=_-">/);
    for (const nonce of ['"><script>', 'a b', '', 'x'.repeat(257), 42]) {
      expect(() => posthogInitSnippet({ projectApiKey: 'phc_public', nonce: nonce as string })).toThrow(ValidationError);
    }
  });

  it.each(['phs_secret_key', 'phx_personal_key'])('refuses to publish a secret (%s) as the project key', (key) => {
    const error = (() => {
      try {
        posthogInitSnippet({ projectApiKey: key });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a throw');
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).not.toContain(key);
  });

  it.each([
    ['an empty key', { projectApiKey: '' }],
    ['a non-URL host', { projectApiKey: 'phc_x', apiHost: 'us.i.posthog.com' }],
    ['a javascript: host', { projectApiKey: 'phc_x', apiHost: 'javascript:alert(1)' }],
    ['an identity that is not from identityFor', { projectApiKey: 'phc_x', identity: { id: 1 } }],
    ['extra options that are not an object', { projectApiKey: 'phc_x', options: 'debug' }],
    ['no options at all', undefined],
  ])('rejects %s', (_, options) => {
    expect(() => posthogInitSnippet(options as never)).toThrow(/projectApiKey|apiHost|identity|options/);
  });
});
