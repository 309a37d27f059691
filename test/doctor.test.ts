// diagnose and `posthog-conversations doctor` against the emulator, configured into each failure a
// real setup has: each check fails with its fix, and passes once fixed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../src/index.js';
import { domainAllows } from '../src/widget/domains.js';
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator } from '../src/testing/index.js';

// A project key of its own: with the emulator's published one, the fixes are the emulator's (tested below).
const PROJECT_KEY = 'phc_project_under_test';
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ throttles: false, teams: [{ projectApiKey: PROJECT_KEY, settings: { widget_enabled: true } }] });
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

const healthy = () => ({
  host: emulator.url,
  projectApiKey: PROJECT_KEY,
  secret: D.secretApiToken,
  widgetToken: D.publicToken,
  origin: 'https://app.example.com',
  personalApiKey: D.personalApiKey,
  projectId: D.projectId,
});
const verdicts = (diagnosis: Diagnosis) => Object.fromEntries(diagnosis.checks.map((c) => [c.id, c.skipped ? 'skipped' : c.ok]));
const check = (diagnosis: Diagnosis, id: string) => diagnosis.checks.find((c) => c.id === id)!;

describe('diagnose', () => {
  it('passes every check on a healthy setup, in order, and creates nothing', async () => {
    const diagnosis = await diagnose(healthy());
    expect(diagnosis.ok).toBe(true);
    expect(diagnosis.checks.map((c) => c.id)).toEqual([
      'host',
      'project-key',
      'conversations',
      'widget',
      'public-token',
      'origin',
      'secret-shape',
      'secret-verifies',
      'personal-key',
      'personal-key-project',
      'personal-key-scopes',
    ]);
    expect(emulator.state.tickets).toEqual([]);
    expect(emulator.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('an unreachable host fails the host check and skips what needs it', async () => {
    const diagnosis = await diagnose({ ...healthy(), host: 'http://127.0.0.1:9', personalApiKey: undefined, deadlineMs: 3000 });
    expect(verdicts(diagnosis)).toMatchObject({
      host: false,
      'project-key': 'skipped',
      conversations: 'skipped',
      'secret-verifies': 'skipped',
    });
    expect(check(diagnosis, 'host').fix).toMatch(/POSTHOG_HOST/);
  });

  it('an unknown project key (or the wrong region)', async () => {
    const diagnosis = await diagnose({ ...healthy(), projectApiKey: 'phc_not_a_project' });
    expect(verdicts(diagnosis)).toMatchObject({ host: true, 'project-key': false });
    expect(check(diagnosis, 'project-key').fix).toMatch(/us\.i\.posthog\.com or https:\/\/eu/);
  });

  it('conversations turned off', async () => {
    emulator.state.teams[0]!.conversationsEnabled = false;
    const diagnosis = await diagnose(healthy());
    expect(verdicts(diagnosis)).toMatchObject({
      conversations: false,
      widget: 'skipped',
      'public-token': 'skipped',
      'secret-verifies': 'skipped',
    });
    expect(check(diagnosis, 'conversations').fix).toMatch(/Turn Support on/);
  });

  it('the widget turned off', async () => {
    emulator.state.teams[0]!.settings.widget_enabled = false;
    const diagnosis = await diagnose(healthy());
    expect(verdicts(diagnosis)).toMatchObject({ widget: false, 'secret-verifies': true });
    expect(check(diagnosis, 'widget').fix).toBe('Enable the widget in PostHog → Settings → Support.');
  });

  it("pointed at the emulator's own team, each fix is the emulator's option, not PostHog's settings page", async () => {
    emulator.state.teams[0]!.projectApiKey = D.projectApiKey;
    emulator.state.teams[0]!.settings.widget_enabled = false;
    emulator.state.teams[0]!.settings.widget_domains = ['https://other.example.com'];
    const diagnosis = await diagnose({ ...healthy(), projectApiKey: D.projectApiKey, secret: 'phs_another_key_000000000000000000000000' });
    expect(verdicts(diagnosis)).toMatchObject({ widget: false, origin: false, 'secret-verifies': false });
    expect(check(diagnosis, 'widget').fix).toMatch(
      /posthog-conversations emulator` turns it on; with `startEmulator`, pass .*widget_enabled: true/,
    );
    expect(check(diagnosis, 'origin').fix).toMatch(/widget_domains: \['<your origin>'\]/);
    expect(check(diagnosis, 'secret-verifies').fix).toMatch(
      /^Set POSTHOG_SECRET_API_TOKEN to the emulator's secret: .*EMULATOR_DEFAULTS\.secretApiToken/,
    );
    expect(JSON.stringify(diagnosis)).not.toContain(D.secretApiToken);
    expect(JSON.stringify(diagnosis)).not.toContain('PostHog → Settings');
    // A fix that is not about PostHog's settings stays: a malformed --origin is the caller's to fix.
    const malformed = await diagnose({ ...healthy(), projectApiKey: D.projectApiKey, origin: 'not a url' });
    expect(check(malformed, 'origin').fix).toBe("Pass your app's URL, such as https://app.example.com.");
  });

  it('a regenerated public token', async () => {
    emulator.state.teams[0]!.publicToken = 'regenerated_token_00000000000000000000000';
    const diagnosis = await diagnose(healthy());
    expect(verdicts(diagnosis)).toMatchObject({ 'public-token': false, 'secret-verifies': true });
    expect(check(diagnosis, 'public-token').fix).toMatch(/Copy the widget public token again/);
    expect(JSON.stringify(diagnosis)).not.toContain('regenerated_token');
  });

  it('an origin missing from the allowed domains, with the scheme subtlety explained', async () => {
    emulator.state.teams[0]!.settings.widget_domains = ['https://other.example.com', 'app.example.com'];
    const diagnosis = await diagnose(healthy());
    expect(verdicts(diagnosis)).toMatchObject({ origin: false });
    expect(check(diagnosis, 'origin').fix).toMatch(/Add https:\/\/app\.example\.com .*1 of the entries have no scheme/);
    emulator.state.teams[0]!.settings.widget_domains = ['https://*.example.com'];
    expect(verdicts(await diagnose(healthy()))).toMatchObject({ origin: true });
  });

  it('a secret the server does not verify with (another key), never printed', async () => {
    const diagnosis = await diagnose({ ...healthy(), secret: 'phs_ZZZ_some_other_projects_secret' });
    expect(verdicts(diagnosis)).toMatchObject({ 'secret-shape': true, 'secret-verifies': false });
    expect(check(diagnosis, 'secret-verifies').fix).toMatch(/Not a personal API key \(phx_\.\.\.\)/);
    expect(JSON.stringify(diagnosis)).not.toContain('ZZZ');
  });

  it('a secret of the wrong shape (a phc_ key, a stray newline)', async () => {
    for (const secret of ['phc_public_key', `${D.secretApiToken}\n`]) {
      const diagnosis = await diagnose({ ...healthy(), secret });
      expect(verdicts(diagnosis)).toMatchObject({ 'secret-shape': false, 'secret-verifies': 'skipped' });
      expect(JSON.stringify(diagnosis)).not.toContain(D.secretApiToken);
    }
  });

  it('a personal key without the scopes, without the project, or not valid', async () => {
    emulator.state.personalApiKeys[0]!.scopes = ['project:read', 'ticket:write'];
    const scopes = await diagnose(healthy());
    expect(verdicts(scopes)).toMatchObject({ 'personal-key': true, 'personal-key-project': true, 'personal-key-scopes': false });
    expect(check(scopes, 'personal-key-scopes')).toMatchObject({
      message: 'the personal API key lacks project:write',
      fix: expect.stringMatching(/project:write for client\.settings\.update/),
    });
    emulator.state.personalApiKeys[0]!.teamIds = [99];
    expect(verdicts(await diagnose(healthy()))).toMatchObject({ 'personal-key-project': false });
    const invalid = await diagnose({ ...healthy(), personalApiKey: 'phx_not_a_key_000000000000' });
    expect(check(invalid, 'personal-key')).toMatchObject({ ok: false, message: expect.stringMatching(/not valid/) });
  });

  it('checks that an email claim can be signed for --email', async () => {
    const good = await diagnose({ ...healthy(), email: '  Ada@Example.com ' });
    expect(check(good, 'email-claim')).toMatchObject({ ok: true, message: expect.stringContaining('ada@example.com') });
    const bad = await diagnose({ ...healthy(), email: 'not-an-address' });
    expect(check(bad, 'email-claim')).toMatchObject({ ok: false, fix: expect.stringMatching(/canonicalise/) });
  });

  it('rejects with an AbortedError when its signal fires, and honours its deadline', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(diagnose({ ...healthy(), signal: controller.signal })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    emulator.faults.add({ kind: 'delay', path: '/array/', ms: 3000 });
    const started = performance.now();
    const slow = await diagnose({ ...healthy(), deadlineMs: 300 });
    expect(performance.now() - started).toBeLessThan(2500);
    expect(check(slow, 'host')).toMatchObject({ ok: false, message: expect.stringContaining('ERR_TIMEOUT') });
  });

  it('refuses unknown options, naming the nearest', async () => {
    await expect(diagnose({ ...healthy(), projectKey: 'x' } as never)).rejects.toThrow(/unknown option `projectKey`/);
  });
});

describe('domainAllows, as PostHog matches widget domains', () => {
  it.each([
    ['https://app.example.com', 'app.example.com', true],
    ['https://app.example.com:8443/path', 'app.example.com', true],
    ['app.example.com', 'app.example.com', false],
    ['https://*.example.com', 'a.b.example.com', true],
    ['https://*.example.com', 'example.com', false],
    ['https://*', 'anything.test', true],
  ])('%s allows %s: %s', (entry, hostname, expected) => {
    expect(domainAllows(entry, hostname)).toBe(expected);
  });

  it('matches a hostile wildcard entry in linear time', () => {
    const started = performance.now();
    expect(domainAllows(`https://${'*a'.repeat(50)}*b`, 'a'.repeat(50_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
