/**
 * `diagnose`: checks a real setup the way the widget will use it, in order, and says exactly what
 * to fix. Read-only: one remote-config read, one widget ticket list for a random probe id, and,
 * with a personal key, two reads of the project API. Never prints or returns a secret or a key.
 */
import { createClient } from '../client.js';
import type { UndiciDispatcher } from '../http/client-options.js';
import type { FetchFunction } from '../basics/fetch-body.js';
import { ConfigurationError, PostHogConversationsError } from '../basics/errors.js';
import { AbortedError, AuthenticationError, NotFoundError, PermissionError } from '../http/errors.js';
import type { RemoteConversationsConfig } from '../admin/settings.js';
import { signEmailClaim } from '../identity/email-claim.js';
import { identityFor } from '../identity/identity-for.js';
import { assertSecret } from '../identity/rules.js';
import { assertConfigKeys } from '../basics/options.js';
import { domainAllows } from '../widget/domains.js';
import type { RequestOptions } from '../http/request-options.js';
import { isEmulatorProject, withEmulatorFix } from './doctor-emulator.js';

/** What {@link diagnose} checks; every key but `projectApiKey` is optional and adds checks. */
export interface DiagnoseOptions {
  /** PostHog's API host. Default `https://us.i.posthog.com`. */
  host?: string | undefined;
  /** The project API key (`phc_...`) your pages pass to `posthog.init`. */
  projectApiKey: string;
  /** The Secret API key you sign identities with: checked against the server. */
  secret?: string | undefined;
  /** The widget public token your server uses (`POSTHOG_WIDGET_TOKEN`), if any: compared with the project's. */
  widgetToken?: string | undefined;
  /** Your app's URL (`https://app.example.com`): checked against the widget's allowed domains. */
  origin?: string | undefined;
  /** A user's email, to check that an email claim for it can be signed (needs `secret`). */
  email?: string | undefined;
  /** A personal API key (`phx_...`) and the project id: checked for its reach and the scopes the API clients use. */
  personalApiKey?: string | undefined;
  projectId?: number | string | undefined;
  /** Longest time for every check together. Default 20000 ms. */
  deadlineMs?: number | undefined;
  /** Stops the checks (the call rejects with an `AbortedError`). */
  signal?: AbortSignal | undefined;
  /** Node.js only: an undici dispatcher (a proxy); you close it. */
  dispatcher?: UndiciDispatcher | undefined;
  /** A `fetch` to send with instead (as `createClient`'s `fetch`). */
  fetch?: FetchFunction | undefined;
}

/** One check's verdict. `fix` says what to do, in PostHog's words, when it failed. */
export interface DoctorCheck {
  id: string;
  ok: boolean;
  /** True when the check could not run because an earlier one failed. */
  skipped?: boolean;
  message: string;
  fix?: string;
}

/** Every check, in order; `ok` when none failed. */
export interface Diagnosis {
  ok: boolean;
  checks: DoctorCheck[];
}

const OPTION_KEYS = [
  'host',
  'projectApiKey',
  'secret',
  'widgetToken',
  'origin',
  'email',
  'personalApiKey',
  'projectId',
  'deadlineMs',
  'signal',
  'dispatcher',
  'fetch',
] as const;
const SUPPORT_SETTINGS = 'PostHog → Settings → Support';

/** The hostname of `origin` as PostHog's origin check reads it (`urlparse(...).hostname`). */
function hostnameOf(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).hostname.toLowerCase() : undefined;
}

function originCheck(origin: string, config: Exclude<RemoteConversationsConfig, false>): DoctorCheck {
  const hostname = hostnameOf(origin);
  if (hostname === undefined)
    return { id: 'origin', ok: false, message: '--origin is not a URL', fix: "Pass your app's URL, such as https://app.example.com." };
  const domains = (config.domains ?? []).filter((d) => typeof d === 'string' && d !== '');
  if (domains.length === 0) return { id: 'origin', ok: true, message: 'the widget allows every domain (no allowed domains are set)' };
  if (domains.some((entry) => domainAllows(entry, hostname)))
    return { id: 'origin', ok: true, message: `${hostname} is an allowed domain` };
  const bare = domains.filter((d) => !d.includes('://'));
  const hint =
    bare.length > 0
      ? ` ${bare.length} of the entries have no scheme (like example.com), and PostHog matches such an entry against nothing: write https://example.com.`
      : '';
  return {
    id: 'origin',
    ok: false,
    message: `${hostname} is not in the widget's allowed domains, so sending messages and restore links from your app are refused (403)`,
    fix: `Add ${new URL(origin).origin} to the allowed domains in ${SUPPORT_SETTINGS} (widget).${hint}`,
  };
}

/**
 * Checks a live setup, in order: the host answers; the project key is known; conversations and the
 * widget are on; the public token is there (and is yours); your origin is allowed; the secret has the
 * right shape and **the server accepts hashes signed with it**; a personal key has the scopes the
 * API clients need. Read-only, and nothing secret in the result.
 *
 * @example
 * const { ok, checks } = await diagnose({ host: 'https://eu.i.posthog.com', projectApiKey: 'phc_...', secret: process.env.POSTHOG_SECRET_API_TOKEN })
 * for (const check of checks.filter((c) => !c.ok)) console.error(check.message, check.fix)
 */
export async function diagnose(options: DiagnoseOptions): Promise<Diagnosis> {
  assertConfigKeys(options, OPTION_KEYS, 'diagnose options');
  if (typeof options.projectApiKey !== 'string' || options.projectApiKey === '') {
    throw new ConfigurationError('diagnose needs projectApiKey: the project API key (phc_...) your pages pass to posthog.init');
  }
  const deadline = Date.now() + (options.deadlineMs ?? 20_000);
  const perCall = () => ({ deadlineMs: Math.max(1, deadline - Date.now()), retry: false as const, signal: options.signal });
  const checks: DoctorCheck[] = [];
  const skip = (id: string, because: string) => checks.push({ id, ok: false, skipped: true, message: `not checked: ${because}` });
  const base = createClient({ host: options.host, dispatcher: options.dispatcher, fetch: options.fetch, retry: false });
  try {
    // 1-2. The host answers, and knows the project key.
    let config: RemoteConversationsConfig | undefined;
    try {
      config = await base.remoteConfig.get(options.projectApiKey, perCall());
      checks.push({ id: 'host', ok: true, message: `${base.host} answers` });
      checks.push({ id: 'project-key', ok: true, message: 'the project API key is known' });
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof AuthenticationError || error instanceof PermissionError) {
        checks.push({ id: 'host', ok: true, message: `${base.host} answers` });
        checks.push({
          id: 'project-key',
          ok: false,
          message: 'the host does not know this project API key',
          fix: `Use the project API key (phc_...) from PostHog → Settings → Project, and the host of its region (https://us.i.posthog.com or https://eu.i.posthog.com).`,
        });
      } else {
        const reason = error instanceof PostHogConversationsError ? error.code : 'an unexpected error';
        checks.push({
          id: 'host',
          ok: false,
          message: `${base.host} did not answer (${reason})`,
          fix: 'Check POSTHOG_HOST (https://us.i.posthog.com, https://eu.i.posthog.com, your self-hosted URL or your reverse proxy) and the network between this machine and it.',
        });
        skip('project-key', 'the host did not answer');
      }
    }
    const conversations = config === undefined ? undefined : config;
    // 3-5. Conversations and the widget are on, the token is there.
    if (conversations === undefined)
      for (const id of ['conversations', 'widget', 'public-token']) skip(id, 'the project could not be read');
    else if (conversations === false) {
      checks.push({
        id: 'conversations',
        ok: false,
        message: 'conversations (Support) is not enabled for this project',
        fix: `Turn Support on in ${SUPPORT_SETTINGS}.`,
      });
      for (const id of ['widget', 'public-token']) skip(id, 'conversations is off');
    } else {
      checks.push({ id: 'conversations', ok: true, message: 'conversations (Support) is enabled' });
      checks.push(
        conversations.widgetEnabled === true
          ? { id: 'widget', ok: true, message: 'the chat widget is enabled' }
          : {
              id: 'widget',
              ok: false,
              message: 'the chat widget is not enabled, so posthog-js does not show it',
              fix: `Enable the widget in ${SUPPORT_SETTINGS}.`,
            },
      );
      const token = conversations.token ?? undefined;
      if (!token)
        checks.push({
          id: 'public-token',
          ok: false,
          message: 'the project has no widget public token',
          fix: `Turn Support off and on again in ${SUPPORT_SETTINGS}, which mints one.`,
        });
      else if (options.widgetToken !== undefined && options.widgetToken !== token) {
        checks.push({
          id: 'public-token',
          ok: false,
          message:
            "POSTHOG_WIDGET_TOKEN is not the project's current widget public token (it was regenerated, or belongs to another project)",
          fix: `Copy the widget public token again from ${SUPPORT_SETTINGS}.`,
        });
      } else
        checks.push({
          id: 'public-token',
          ok: true,
          message:
            options.widgetToken === undefined
              ? 'the project has a widget public token'
              : "POSTHOG_WIDGET_TOKEN is the project's current widget public token",
        });
    }
    // 6. The app's origin is allowed.
    if (options.origin !== undefined) {
      if (conversations) checks.push(originCheck(options.origin, conversations));
      else skip('origin', 'the widget settings could not be read');
    }
    // 7-8. The secret has the right shape, and the server accepts what it signs.
    if (options.secret !== undefined) {
      let shapeOk = true;
      try {
        assertSecret(options.secret, 'the secret');
        checks.push({ id: 'secret-shape', ok: true, message: 'the secret has the shape of a Secret API key' });
      } catch (error) {
        shapeOk = false;
        checks.push({
          id: 'secret-shape',
          ok: false,
          message: (error as Error).message,
          fix: `Use the project's Secret API key (phs_...) from ${SUPPORT_SETTINGS} → identity verification.`,
        });
      }
      const token = conversations ? (conversations.token ?? undefined) : undefined;
      if (!shapeOk) skip('secret-verifies', 'the secret has the wrong shape');
      else if (token === undefined) skip('secret-verifies', 'there is no widget public token to call the widget API with');
      else checks.push(await secretCheck(options, token, perCall));
      if (options.email !== undefined) checks.push(emailCheck(options.email, options.secret, shapeOk));
    }
    // 9. A personal key has the scopes the API clients use.
    if (options.personalApiKey !== undefined) checks.push(...(await personalKeyChecks(options, perCall)));
  } finally {
    await base.close();
  }
  // An aborted call may have ended a check early: the verdicts would be about the abort, not the setup.
  if (options.signal?.aborted) throw new AbortedError('diagnose was aborted by the caller', { cause: options.signal.reason });
  const verdicts = isEmulatorProject(options.projectApiKey) ? checks.map(withEmulatorFix) : checks;
  return { ok: verdicts.every((check) => check.ok), checks: verdicts };
}

/**
 * An email claim cannot be observed on the server (it ignores a bad claim silently), but it is
 * signed with the same secret as the identity: if the server accepts the identity, it accepts a
 * claim this SDK signs for an email it can canonicalise. So the email is what is left to check.
 */
function emailCheck(email: string, secret: string, secretShapeOk: boolean): DoctorCheck {
  if (!secretShapeOk) return { id: 'email-claim', ok: false, skipped: true, message: 'not checked: the secret has the wrong shape' };
  try {
    const claim = signEmailClaim({ distinctId: 'posthog-conversations-doctor', email, secret });
    return {
      id: 'email-claim',
      ok: true,
      message: `an email claim signs for ${claim.identity_email} (the server's canonical form); it verifies when secret-verifies does`,
    };
  } catch (error) {
    return {
      id: 'email-claim',
      ok: false,
      message: (error as Error).message,
      fix: "Pass the user's email as your app stores it: an address the server can canonicalise (strip().lower()), at most 254 characters.",
    };
  }
}

async function secretCheck(options: DiagnoseOptions, token: string, perCall: () => RequestOptions): Promise<DoctorCheck> {
  const client = createClient({
    host: options.host,
    publicToken: token,
    dispatcher: options.dispatcher,
    fetch: options.fetch,
    retry: false,
  });
  // A random id no user has: the call lists (no) tickets and creates nothing.
  const probe = `posthog-conversations-doctor-${crypto.randomUUID()}`;
  try {
    await client.widget.listTickets({ identity: identityFor(probe, { secret: options.secret! }), limit: 1 }, perCall());
    return { id: 'secret-verifies', ok: true, message: 'the server accepts identity hashes signed with this secret' };
  } catch (error) {
    if (error instanceof PermissionError) {
      return {
        id: 'secret-verifies',
        ok: false,
        message: 'the server refuses identity hashes signed with this secret (403): it is not the key the project verifies with',
        fix: `Use the Secret API key shown in ${SUPPORT_SETTINGS} → identity verification. Not a personal API key (phx_...), not the project API key (phc_...), not another project's key. PostHog tries the project's signing secret, then the Secret API key, then the previous key kept after a rotation, which works only until its backup is deleted.`,
      };
    }
    const reason = error instanceof PostHogConversationsError ? error.code : 'an unexpected error';
    return {
      id: 'secret-verifies',
      ok: false,
      message: `the check could not complete (${reason})`,
      fix: 'Run it again; if it persists, check the host and the public token.',
    };
  } finally {
    await client.close();
  }
}

/** The scopes the API clients use, and what each one enables. */
const NEEDED_SCOPES = [
  ['ticket:read', 'client.tickets list, get, messages, unreadCount'],
  ['ticket:write', 'client.tickets update, reply, compose, bulkUpdateStatus'],
  ['project:read', 'client.settings.get'],
  // regenerating the widget token is refused to every personal key: an admin does it in PostHog.
  ['project:write', 'client.settings.update'],
] as const;

const hasScope = (scopes: readonly string[], needed: string) => {
  const [object] = needed.split(':');
  return scopes.includes('*') || scopes.includes(needed) || scopes.includes(`${object}:write`);
};

async function personalKeyChecks(options: DiagnoseOptions, perCall: () => RequestOptions): Promise<DoctorCheck[]> {
  let client: ReturnType<typeof createClient>;
  try {
    client = createClient({
      host: options.host,
      personalApiKey: options.personalApiKey,
      projectId: options.projectId,
      dispatcher: options.dispatcher,
      fetch: options.fetch,
      retry: false,
    });
  } catch (error) {
    return [
      {
        id: 'personal-key',
        ok: false,
        message: (error as Error).message,
        fix: 'Create a personal API key under your PostHog account settings → Personal API keys.',
      },
    ];
  }
  try {
    const key = await client.settings.personalApiKey(perCall());
    const checks: DoctorCheck[] = [{ id: 'personal-key', ok: true, message: 'the personal API key is valid' }];
    if (options.projectId === undefined) {
      checks.push({
        id: 'personal-key-project',
        ok: false,
        message: 'no project id was given',
        fix: 'Set POSTHOG_PROJECT_ID: the number in your PostHog project URL.',
      });
    } else if (key.scoped_teams != null && key.scoped_teams.length > 0 && !key.scoped_teams.includes(Number(options.projectId))) {
      checks.push({
        id: 'personal-key-project',
        ok: false,
        message: `the personal API key cannot reach project ${options.projectId}`,
        fix: 'Give the key access to this project (account settings → Personal API keys), or use the right POSTHOG_PROJECT_ID.',
      });
    } else checks.push({ id: 'personal-key-project', ok: true, message: `the personal API key can reach project ${options.projectId}` });
    const missing = NEEDED_SCOPES.filter(([scope]) => !hasScope(key.scopes, scope));
    checks.push(
      missing.length === 0
        ? { id: 'personal-key-scopes', ok: true, message: 'the personal API key has every scope the API clients use' }
        : {
            id: 'personal-key-scopes',
            ok: false,
            message: `the personal API key lacks ${missing.map(([scope]) => scope).join(', ')}`,
            fix: `Add the scopes you need (account settings → Personal API keys): ${missing.map(([scope, use]) => `${scope} for ${use}`).join('; ')}.`,
          },
    );
    return checks;
  } catch (error) {
    if (error instanceof AuthenticationError)
      return [
        {
          id: 'personal-key',
          ok: false,
          message: 'the personal API key is not valid (401)',
          fix: 'Create a new personal API key under your account settings → Personal API keys.',
        },
      ];
    return [
      {
        id: 'personal-key',
        ok: false,
        message: `the check could not complete (${error instanceof PostHogConversationsError ? error.code : 'an unexpected error'})`,
      },
    ];
  } finally {
    await client.close();
  }
}
