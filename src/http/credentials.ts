/**
 * The client's credentials, checked once, and the headers each API family authenticates with:
 * the widget's public token (plus `Origin`), a personal API key, or the project's Secret API key.
 */
import { ConfigurationError, describeType } from '../basics/errors.js';
import { assertSecret } from '../identity/rules.js';

/** How a call authenticates. */
export type AuthKind = 'widget' | 'personal' | 'secret' | 'none';

export interface CredentialOptions {
  publicToken?: string | undefined;
  secretApiToken?: string | undefined;
  personalApiKey?: string | undefined;
  projectId?: number | string | undefined;
  origin?: string | undefined;
}

// A header value that could end the header (CR, LF), be cut short (NUL), or not be sent at all.
const UNSAFE_HEADER_VALUE = /[\0-\x08\x0a-\x1f\x7f]|[^\0-\xff]/;

/** Throws unless `value` can be sent as a header value as is; never prints the value. */
export function assertHeaderValue(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw new ConfigurationError(`${name} must be a string, got ${describeType(value)}`);
  if (value === '') throw new ConfigurationError(`${name} is empty (is the environment variable set?)`);
  if (UNSAFE_HEADER_VALUE.test(value)) {
    throw new ConfigurationError(
      `${name} contains a line break, NUL or other control character (or a character outside Latin-1), which cannot be sent in an HTTP header; check where it is read from (a stray newline from an .env file is the usual cause)`,
    );
  }
}

function checkOrigin(origin: unknown): string {
  assertHeaderValue(origin, 'origin');
  if (!URL.canParse(origin) || !/^https?:$/.test(new URL(origin).protocol) || new URL(origin).origin !== origin.replace(/\/$/, '')) {
    throw new ConfigurationError('origin must be an origin such as https://app.example.com (scheme, host and optional port, no path)');
  }
  return origin.replace(/\/$/, '');
}

export class Credentials {
  readonly #publicToken: string | undefined;
  readonly #secretApiToken: string | undefined;
  readonly #personalApiKey: string | undefined;
  readonly #projectId: string | undefined;
  readonly origin: string | undefined;

  constructor(options: CredentialOptions) {
    const { publicToken, secretApiToken, personalApiKey, projectId } = options;
    if (publicToken !== undefined) {
      assertHeaderValue(publicToken, 'publicToken');
      if (/^ph[sx]_/.test(publicToken)) {
        throw new ConfigurationError(
          'publicToken must be the widget public token from Support settings, not a secret (phs_...) or personal (phx_...) key.',
        );
      }
    }
    if (secretApiToken !== undefined) {
      assertSecret(secretApiToken, 'secretApiToken');
      assertHeaderValue(secretApiToken, 'secretApiToken');
    }
    if (personalApiKey !== undefined) {
      assertHeaderValue(personalApiKey, 'personalApiKey');
      if (!personalApiKey.startsWith('phx_')) {
        throw new ConfigurationError(
          'personalApiKey must be a personal API key (phx_...), created under your PostHog account settings with the ticket scopes.',
        );
      }
    }
    if (
      projectId !== undefined &&
      !(typeof projectId === 'number' ? Number.isSafeInteger(projectId) && projectId > 0 : /^[1-9]\d{0,15}$/.test(String(projectId)))
    ) {
      throw new ConfigurationError(
        'projectId must be the numeric id in your PostHog project URL (a positive integer, or its digits as a string)',
      );
    }
    this.#publicToken = publicToken;
    this.#secretApiToken = secretApiToken;
    this.#personalApiKey = personalApiKey;
    this.#projectId = projectId === undefined ? undefined : String(projectId);
    this.origin = options.origin === undefined ? undefined : checkOrigin(options.origin);
  }

  /** Which credentials are set, by name: for `inspect` and JSON, never the values. */
  get configured(): string[] {
    const set = {
      publicToken: this.#publicToken,
      secretApiToken: this.#secretApiToken,
      personalApiKey: this.#personalApiKey,
      projectId: this.#projectId,
    };
    return Object.entries(set)
      .filter(([, value]) => value !== undefined)
      .map(([name]) => name);
  }

  /** Every secret value held, for masking anything a server echoes back. */
  get secrets(): string[] {
    return [this.#publicToken, this.#secretApiToken, this.#personalApiKey].filter((value): value is string => value !== undefined);
  }

  /** The authentication header for a kind of call, or a ConfigurationError saying which option it needs. */
  headers(kind: AuthKind): Record<string, string> {
    if (kind === 'none') return {};
    if (kind === 'widget') {
      if (this.#publicToken === undefined) {
        throw new ConfigurationError(
          'Widget calls need publicToken: the widget_public_token from your Support settings (createClient({ publicToken })).',
        );
      }
      return { 'x-conversations-token': this.#publicToken };
    }
    if (kind === 'secret') {
      if (this.#secretApiToken === undefined) {
        throw new ConfigurationError(
          'External ticket calls need secretApiToken: the Secret API key (phs_...) (createClient({ secretApiToken })).',
        );
      }
      return { authorization: `Bearer ${this.#secretApiToken}` };
    }
    if (this.#personalApiKey === undefined) {
      throw new ConfigurationError(
        'This call needs personalApiKey: a personal API key (phx_...) with the right scopes (createClient({ personalApiKey, projectId })).',
      );
    }
    return { authorization: `Bearer ${this.#personalApiKey}` };
  }

  /** `/api/projects/<id>/<suffix>`, or a ConfigurationError when `projectId` is missing. */
  projectPath(suffix: string): string {
    // The project API authenticates with a personal key: say that one is missing first.
    if (this.#personalApiKey === undefined) this.headers('personal');
    if (this.#projectId === undefined) {
      throw new ConfigurationError('This call needs projectId: the numeric id in your PostHog project URL (createClient({ projectId })).');
    }
    return `/api/projects/${this.#projectId}/${suffix}`;
  }
}
