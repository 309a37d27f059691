// The framework-free core every adapter maps onto.
import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { IdentitySigner, ValidationError, computeIdentityHash, createIdentityResolver, createInitSnippet, identityEndpointAnswer } from '../src/index.js';

const SECRET = 'phs_resolver_test_secret';
const hash = (id: string) => computeIdentityHash(id, SECRET);

describe('createIdentityResolver', () => {
  it('signs what a synchronous or an asynchronous resolver returns', async () => {
    expect(await createIdentityResolver({ secret: SECRET, getDistinctId: () => 'u1' })({})).toEqual({ identity_distinct_id: 'u1', identity_hash: hash('u1') });
    expect(await createIdentityResolver({ secret: SECRET, getDistinctId: async () => 'u2' })({})).toEqual({ identity_distinct_id: 'u2', identity_hash: hash('u2') });
  });

  it('adds an email claim from a synchronous or asynchronous getEmail, and none for a null email', async () => {
    const sync = await createIdentityResolver({ secret: SECRET, getDistinctId: () => 'u', getEmail: () => 'A@B.co' })({});
    const async_ = await createIdentityResolver({ secret: SECRET, getDistinctId: async () => 'u', getEmail: async () => 'a@b.co' })({});
    for (const fields of [sync, async_]) expect(fields).toMatchObject({ identity_email: 'a@b.co', identity_hash_email: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Object.keys((await createIdentityResolver({ secret: SECRET, getDistinctId: () => 'u', getEmail: () => null })({}))!)).toEqual(['identity_distinct_id', 'identity_hash']);
  });

  it.each([undefined, null, ''])('treats %j from getDistinctId as a visitor, and never asks for the email', async (id) => {
    let asked = false;
    const resolve = createIdentityResolver({ secret: SECRET, getDistinctId: () => id, getEmail: () => ((asked = true), 'a@b.co') });
    expect(await resolve({})).toBeNull();
    expect(asked).toBe(false);
  });

  it('uses a safe integer as its decimal string', async () => {
    expect(await createIdentityResolver({ secret: SECRET, getDistinctId: () => 7 })({})).toEqual({ identity_distinct_id: '7', identity_hash: hash('7') });
  });

  it.each([
    ['an object', { id: 1 }, /getDistinctId must return a string/],
    ['a boolean', true, /getDistinctId must return a string/],
    ['a float', 1.5, /safe integer/],
    ['a padded string', ' u ', /whitespace/],
    ['a 401-character string', 'x'.repeat(401), /at most 400/],
    ['a lone surrogate', 'u\uD800', /surrogate/],
  ])('rejects %s from getDistinctId with a ValidationError', async (_, id, message) => {
    await expect(createIdentityResolver({ secret: SECRET, getDistinctId: () => id as string })({})).rejects.toThrow(message);
  });

  it('passes on an error the resolver throws, sync or async', async () => {
    await expect(createIdentityResolver({ secret: SECRET, getDistinctId: () => { throw new Error('store down'); } })({})).rejects.toThrow('store down');
    await expect(createIdentityResolver({ secret: SECRET, getDistinctId: async () => { throw new Error('store down'); } })({})).rejects.toThrow('store down');
  });

  it('accepts a signer instead of a secret, and refuses both or neither', () => {
    const signer = new IdentitySigner({ secret: SECRET });
    expect(() => createIdentityResolver({ signer, getDistinctId: () => 'u' })).not.toThrow();
    expect(() => createIdentityResolver({ signer, secret: SECRET, getDistinctId: () => 'u' })).toThrow(/not both/);
    expect(() => createIdentityResolver({ getDistinctId: () => 'u' })).toThrow(/pass secret/);
    expect(() => createIdentityResolver({ signer: {} as IdentitySigner, getDistinctId: () => 'u' })).toThrow(/signer must be an IdentitySigner/);
    expect(() => createIdentityResolver(null as never)).toThrow(/must be an object/);
  });
});

describe('identityEndpointAnswer', () => {
  it('is 200 with the identity or 401 for a visitor, never cached', () => {
    const identity = { identity_distinct_id: 'u', identity_hash: hash('u') };
    expect(identityEndpointAnswer(identity)).toEqual({ status: 200, headers: { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' }, body: identity });
    expect(identityEndpointAnswer(null)).toMatchObject({ status: 401, headers: { 'cache-control': 'no-store' }, body: { error: 'Not logged in' } });
  });
});

describe('createInitSnippet', () => {
  it('renders the same script as posthogInitSnippet, for a visitor and for each user', () => {
    const render = createInitSnippet({ projectApiKey: 'phc_x', options: { autocapture: false } });
    expect(render(null)).toBe('<script>posthog.init("phc_x",{"api_host":"https://us.i.posthog.com","autocapture":false})</script>');
    const identity = { identity_distinct_id: '</script>', identity_hash: hash('</script>') };
    expect(render(identity, 'abc=')).toBe(`<script nonce="abc=">posthog.init("phc_x",{"api_host":"https://us.i.posthog.com","autocapture":false,"identity_distinct_id":"\\u003c/script\\u003e","identity_hash":"${identity.identity_hash}"})</script>`);
    expect(() => render(identity, '"><x')).toThrow(/nonce/);
  });

  it("lets the request's identity replace identity fields given in the options, with no duplicate keys", () => {
    const render = createInitSnippet({ projectApiKey: 'phc_x', options: { identity_distinct_id: 'stale', debug: true } });
    const identity = { identity_distinct_id: 'u', identity_hash: hash('u') };
    const calls: unknown[] = [];
    const html = render(identity);
    runInNewContext(html.slice(html.indexOf('>') + 1, -'</script>'.length), { posthog: { init: (...args: unknown[]) => calls.push(args) } });
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
