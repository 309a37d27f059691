// The framework-free core every adapter maps onto.
import { describe, expect, it, vi } from 'vitest';
import { runInNewContext } from 'node:vm';
import {
  ConfigurationError,
  IdentitySigner,
  ValidationError,
  computeIdentityHash,
  createIdentityResolver,
  createInitSnippet,
  identityEndpointAnswer,
} from '../src/index.js';

const SECRET = 'phs_resolver_test_secret';
const hash = (id: string) => computeIdentityHash(id, SECRET);

describe('createIdentityResolver', () => {
  it('signs what a synchronous or an asynchronous resolver returns', async () => {
    expect(await createIdentityResolver({ secret: SECRET, getDistinctId: () => 'u1' })({})).toEqual({
      identity_distinct_id: 'u1',
      identity_hash: hash('u1'),
    });
    expect(await createIdentityResolver({ secret: SECRET, getDistinctId: async () => 'u2' })({})).toEqual({
      identity_distinct_id: 'u2',
      identity_hash: hash('u2'),
    });
  });

  it('adds an email claim from a synchronous or asynchronous getEmail, and none for a null email', async () => {
    const sync = await createIdentityResolver({ secret: SECRET, getDistinctId: () => 'u', getEmail: () => 'A@B.co' })({});
    const async_ = await createIdentityResolver({ secret: SECRET, getDistinctId: async () => 'u', getEmail: async () => 'a@b.co' })({});
    for (const fields of [sync, async_])
      expect(fields).toMatchObject({ identity_email: 'a@b.co', identity_hash_email: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Object.keys((await createIdentityResolver({ secret: SECRET, getDistinctId: () => 'u', getEmail: () => null })({}))!)).toEqual([
      'identity_distinct_id',
      'identity_hash',
    ]);
  });

  it.each([undefined, null, ''])('treats %j from getDistinctId as a visitor, and never asks for the email', async (id) => {
    let asked = false;
    const resolve = createIdentityResolver({
      secret: SECRET,
      getDistinctId: () => id,
      getEmail: () => {
        asked = true;
        return 'a@b.co';
      },
    });
    expect(await resolve({})).toBeNull();
    expect(asked).toBe(false);
  });

  it('uses a safe integer as its decimal string', async () => {
    expect(await createIdentityResolver({ secret: SECRET, getDistinctId: () => 7 })({})).toEqual({
      identity_distinct_id: '7',
      identity_hash: hash('7'),
    });
  });

  it.each([
    ['an object', { id: 1 }, /getDistinctId must return a string/, 'getDistinctId'],
    ['a boolean', true, /getDistinctId must return a string/, 'getDistinctId'],
    ['a float', 1.5, /safe integer/, 'distinctId'],
    ['a padded string', ' u ', /whitespace/, 'distinctId'],
    ['a 401-character string', 'x'.repeat(401), /at most 400/, 'distinctId'],
    ['a lone surrogate', 'u\uD800', /surrogate/, 'distinctId'],
  ])('reports %s from getDistinctId through onError and answers as for a visitor', async (_, id, message, field) => {
    const reported: ValidationError[] = [];
    const resolve = createIdentityResolver({
      secret: SECRET,
      getDistinctId: () => id as string,
      onError: (error) => reported.push(error as ValidationError),
    });
    expect(await resolve({})).toBeNull();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(ValidationError);
    expect(reported[0]!.field).toBe(field);
    expect(reported[0]!.message).toMatch(message);
    expect(reported[0]!.message).toMatch(/rendered as for a visitor/);
  });

  it.each([
    ['not an address', 'not-an-email'],
    ['empty after trimming', '   '],
    ['a NUL', 'a\0@b.co'],
    ['a lone surrogate', 'a\uD800@b.co'],
    ['too long', `${'a'.repeat(250)}@b.co`],
  ])('signs the identity without the email claim when the email is %s, and reports it', async (_, email) => {
    const reported: ValidationError[] = [];
    for (const getEmail of [() => email, async () => email]) {
      const resolve = createIdentityResolver({
        secret: SECRET,
        getDistinctId: () => 'u1',
        getEmail,
        onError: (error) => reported.push(error as ValidationError),
      });
      expect(await resolve({})).toEqual({ identity_distinct_id: 'u1', identity_hash: hash('u1') });
    }
    expect(reported.map((e) => e.field)).toEqual(['email', 'email']);
    expect(reported[0]!.message).toMatch(/without the email claim/);
    expect(reported[0]!.message).not.toContain(SECRET);
  });

  it('warns through console.warn by default, each kind of problem at most once a minute', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const resolve = createIdentityResolver({ secret: SECRET, getDistinctId: () => 'u1', getEmail: () => 'bad' });
      for (let i = 0; i < 50; i++) expect(await resolve({})).toMatchObject({ identity_distinct_id: 'u1' });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/^posthog-conversations: email must look like an address/);
    } finally {
      warn.mockRestore();
    }
  });

  it('accepts thenables that are not Promises from getDistinctId and getEmail', async () => {
    // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, as some resolvers return
    const thenable = <T>(value: T): PromiseLike<T> => ({ then: (resolve) => Promise.resolve(value).then(resolve) as never });
    const resolve = createIdentityResolver({ secret: SECRET, getDistinctId: () => thenable('u1'), getEmail: () => thenable('a@b.co') });
    expect(await resolve({})).toMatchObject({ identity_distinct_id: 'u1', identity_hash: hash('u1'), identity_email: 'a@b.co' });
  });

  it('refuses unknown options, naming the nearest, and a bad email lifetime, when it is created', () => {
    expect(() => createIdentityResolver({ secret: SECRET, getDistinctID: () => 'u' } as never)).toThrow(
      /unknown option `getDistinctID` .*did you mean `getDistinctId`\?/,
    );
    expect(() => createIdentityResolver({ secret: SECRET, getDistinctId: () => 'u', emailTtl: 60 } as never)).toThrow(
      /did you mean `emailTtlSeconds`\?/,
    );
    expect(() => createIdentityResolver({ secret: SECRET, getDistinctId: () => 'u', emailTtlSeconds: 0 })).toThrow(ConfigurationError);
    expect(() => createIdentityResolver({ secret: SECRET, getDistinctId: () => 'u', onError: 'log' as never })).toThrow(
      /onError must be a function/,
    );
  });

  it('passes on an error the resolver throws, sync or async', async () => {
    await expect(
      createIdentityResolver({
        secret: SECRET,
        getDistinctId: () => {
          throw new Error('store down');
        },
      })({}),
    ).rejects.toThrow('store down');
    await expect(
      createIdentityResolver({
        secret: SECRET,
        getDistinctId: async () => {
          throw new Error('store down');
        },
      })({}),
    ).rejects.toThrow('store down');
  });

  it('accepts a signer instead of a secret, and refuses both or neither', () => {
    const signer = new IdentitySigner({ secret: SECRET });
    expect(() => createIdentityResolver({ signer, getDistinctId: () => 'u' })).not.toThrow();
    expect(() => createIdentityResolver({ signer, secret: SECRET, getDistinctId: () => 'u' })).toThrow(/not both/);
    expect(() => createIdentityResolver({ getDistinctId: () => 'u' })).toThrow(/pass secret/);
    expect(() => createIdentityResolver({ signer: {} as IdentitySigner, getDistinctId: () => 'u' })).toThrow(
      /signer must be an IdentitySigner/,
    );
    expect(() => createIdentityResolver(null as never)).toThrow(/must be an options object/);
  });
});

describe('identityEndpointAnswer', () => {
  it('is 200 with the identity or 401 for a visitor, never cached', () => {
    const identity = { identity_distinct_id: 'u', identity_hash: hash('u') };
    expect(identityEndpointAnswer(identity)).toEqual({
      status: 200,
      headers: { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' },
      body: identity,
    });
    expect(identityEndpointAnswer(null)).toMatchObject({
      status: 401,
      headers: { 'cache-control': 'no-store' },
      body: { error: 'Not logged in' },
    });
  });
});

describe('createInitSnippet', () => {
  it('renders the same script as posthogInitSnippet, for a visitor and for each user', () => {
    const render = createInitSnippet({ projectApiKey: 'phc_x', options: { autocapture: false } });
    expect(render(null)).toBe('<script>posthog.init("phc_x",{"api_host":"https://us.i.posthog.com","autocapture":false})</script>');
    const identity = { identity_distinct_id: '</script>', identity_hash: hash('</script>') };
    expect(render(identity, 'abc=')).toBe(
      `<script nonce="abc=">posthog.init("phc_x",{"api_host":"https://us.i.posthog.com","autocapture":false,"identity_distinct_id":"\\u003c/script\\u003e","identity_hash":"${identity.identity_hash}"})</script>`,
    );
    expect(() => render(identity, '"><x')).toThrow(/nonce/);
  });

  it("lets the request's identity replace identity fields given in the options, with no duplicate keys", () => {
    const render = createInitSnippet({ projectApiKey: 'phc_x', options: { identity_distinct_id: 'stale', debug: true } });
    const identity = { identity_distinct_id: 'u', identity_hash: hash('u') };
    const calls: unknown[] = [];
    const html = render(identity);
    runInNewContext(html.slice(html.indexOf('>') + 1, -'</script>'.length), {
      posthog: { init: (...args: unknown[]) => calls.push(args) },
    });
    expect(calls).toEqual([['phc_x', { api_host: 'https://us.i.posthog.com', debug: true, ...identity }]]);
    expect(html.match(/identity_distinct_id/g)).toHaveLength(1);
    expect(render(null)).toContain('"identity_distinct_id":"stale"');
  });

  it('refuses an identity whose JSON is not its own fields', () => {
    const render = createInitSnippet({ projectApiKey: 'phc_x' });
    const fake = { identity_distinct_id: 'u', identity_hash: hash('u'), toJSON: () => '});alert(1);({' };
    expect(() => render(fake)).toThrow(ValidationError);
    expect(() => render(Object.defineProperty({}, 'identity_hash', { value: hash('u') }) as never)).toThrow(ValidationError);
  });
});
