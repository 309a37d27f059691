import { Script, runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  ValidationError,
  createInitSnippet,
  identityFor,
  posthogInitSnippet,
  serializeForInlineScript,
} from '../src/index.js';
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
      expect(run(html)).toEqual([
        ['phc_public', { api_host: 'https://us.i.posthog.com', person_profiles: 'identified_only', ...identity }],
      ]);
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

describe('createInitSnippet always writes valid JavaScript (property)', () => {
  const hostile = fc.constantFrom(...HOSTILE, '', 'identity_hash', 'api_host');
  // A `__proto__` key at any depth is refused on purpose (its own test below); here, every other value.
  const hasProtoKey = (v: unknown): boolean =>
    typeof v === 'object' && v !== null && Object.entries(v).some(([k, item]) => k === '__proto__' || hasProtoKey(item));
  const value = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }).filter((v) => !hasProtoKey(v)),
    hostile,
  );
  const key = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('api_host', 'identity_hash', 'identity_distinct_id', 'person_profiles', '</script>'),
  );
  const optionSets = fc.dictionary(
    key.filter((k) => k !== '__proto__'),
    value,
    { maxKeys: 6 },
  );
  const identities = fc.option(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((id) => id.trim() === id && !id.includes('\0')),
    { nil: null },
  );

  it('parses with vm.Script and passes posthog.init exactly the options given plus the identity', () => {
    fc.assert(
      fc.property(optionSets, identities, fc.boolean(), (options, distinctId, withNonce) => {
        const identity = distinctId === null ? null : identityFor(distinctId, { secret: SECRET });
        const html = createInitSnippet({ projectApiKey: 'phc_key', options })(identity, withNonce ? 'abc123==' : undefined);
        const body = scriptBody(html);
        expect(() => new Script(body)).not.toThrow();
        const calls: unknown[][] = [];
        new Script(body).runInNewContext({ posthog: { init: (...args: unknown[]) => calls.push(args) } });
        // An undefined option is not given: the default api_host stays.
        const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
        const given = JSON.parse(JSON.stringify({ api_host: 'https://us.i.posthog.com', ...defined })) as Record<string, unknown>;
        if (identity !== null) for (const name of Object.keys(given)) if (name.startsWith('identity_')) delete given[name];
        expect(calls).toHaveLength(1);
        expect(calls[0]![0]).toBe('phc_key');
        expect(JSON.parse(JSON.stringify(calls[0]![1]))).toEqual({ ...given, ...identity });
      }),
      { numRuns: 1500 },
    );
  });

  it('drops an undefined option for visitors and logged-in users alike (no `{,` in the page)', () => {
    const render = createInitSnippet({ projectApiKey: 'phc_key', options: { api_host: undefined } as never });
    for (const identity of [null, identityFor('u1', { secret: SECRET })]) {
      const html = render(identity);
      expect(html).not.toContain('{,');
      expect(() => new Script(scriptBody(html))).not.toThrow();
    }
  });

  it.each([
    ['a function', { loaded: () => undefined }, 'options.options.loaded is a function'],
    [
      'a nested function',
      { bootstrap: { featureFlags: { onChange: () => undefined } } },
      'options.options.bootstrap.featureFlags.onChange is a function',
    ],
    ['a BigInt', { big: 1n }, 'options.options.big is a bigint'],
    ['a __proto__ key', JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>, '__proto__'],
    ['a nested __proto__ key', { '': JSON.parse('{"__proto__": null}') } as Record<string, unknown>, 'options.options..__proto__'],
  ])('refuses %s with a ValidationError naming the option', (_, options, message) => {
    expect(() => createInitSnippet({ projectApiKey: 'phc_key', options })).toThrow(ValidationError);
    expect(() => createInitSnippet({ projectApiKey: 'phc_key', options })).toThrow(message);
  });

  it('refuses an unknown option key, naming the nearest', () => {
    expect(() => createInitSnippet({ projectApiKey: 'phc_key', apiHots: 'x' } as never)).toThrow(
      /unknown option `apiHots` .*did you mean `apiHost`\?/,
    );
    expect(() => posthogInitSnippet({ projectApiKey: 'phc_key', identitiy: null } as never)).toThrow(/did you mean `identity`\?/);
  });
});
