// The Next.js helpers' configuration rules (framework-free; the example test runs them in real Next).
import { describe, expect, it } from 'vitest';
import { createPostHogIdentity, createPostHogWebhook } from '../../adapters/next/shared.js';
import { ConfigurationError, computeIdentityHash } from '../../src/index.js';

const SECRET = 'phs_next_helpers_secret';

describe('createPostHogIdentity', () => {
  it('refuses unknown options and a missing getDistinctId at once, even without the secret', () => {
    expect(() => createPostHogIdentity({ getDistinctId: () => 'u', getEmial: () => 'a@b.co' } as never)).toThrow(
      /unknown option `getEmial` .*did you mean `getEmail`\?/,
    );
    expect(() => createPostHogIdentity({ secret: SECRET } as never)).toThrow(/getDistinctId must be a function/);
  });

  it('renders as for a visitor while the secret is missing, reporting it once through onError', async () => {
    const reported: Error[] = [];
    const posthog = createPostHogIdentity({ secret: undefined, getDistinctId: () => 'u1', onError: (error) => reported.push(error) });
    expect(await posthog.getIdentity()).toBeNull();
    expect(await posthog.initOptions({ api_host: 'x' })).toEqual({ api_host: 'x' });
    expect((await posthog.GET(new Request('http://app.test/api/posthog-identity'))).status).toBe(401);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(ConfigurationError);
    expect(reported[0]!.message).toMatch(/pass secret .*rendered without an identity/);
  });

  it('reports a problem once per process, even from several copies of the helper (Next bundles one per layer)', async () => {
    const reported: Error[] = [];
    const copies = [1, 2, 3].map(() =>
      createPostHogIdentity({ secret: 'phs_padded ', getDistinctId: () => 'u1', onError: (error) => reported.push(error) }),
    );
    for (const copy of copies) for (let i = 0; i < 3; i++) expect(await copy.getIdentity()).toBeNull();
    expect(reported).toHaveLength(1);
    expect(reported[0]!.message).toMatch(/whitespace/);
  });

  it('check() throws the configuration problem, for instrumentation.ts', () => {
    expect(() => createPostHogIdentity({ secret: 'phc_public', getDistinctId: () => 'u1' }).check()).toThrow(/public project API key/);
    expect(() => createPostHogIdentity({ secret: SECRET, getDistinctId: () => 'u1' }).check()).not.toThrow();
  });

  it('signs once the secret is there', async () => {
    const posthog = createPostHogIdentity({ secret: SECRET, getDistinctId: () => 'u1' });
    expect(await posthog.getIdentity()).toEqual({ identity_distinct_id: 'u1', identity_hash: computeIdentityHash('u1', SECRET) });
  });
});

describe('createPostHogWebhook', () => {
  it('checks its options when created (a misspelt key, a handler that is not one), even while the secret is unset', () => {
    expect(() => createPostHogWebhook({ secret: undefined as never, onDelivry: () => {} } as never)).toThrow(
      /unknown option `onDelivry`.*onDelivery/,
    );
    expect(() => createPostHogWebhook({ secret: undefined as never, onDelivery: 'no' } as never)).toThrow(/onDelivery must be a function/);
    expect(() => createPostHogWebhook({ secret: undefined as never, onDelivery: () => {}, maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
    expect(() => createPostHogWebhook({ secret: undefined as never, onDelivery: () => {} })).not.toThrow();
  });
});
