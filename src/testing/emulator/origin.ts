/** Origin and URL checks of the widget and restore endpoints (reference §1.4 and §2). */
import { domainAllows } from '../../widget/domains.js';
import type { Context } from './http.js';

const MOBILE_AGENTS = ['posthog-android', 'posthog-ios', 'posthog-react-native', 'posthog-flutter'];

function hostnameOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function domainsOf(settings: Record<string, unknown>): string[] {
  const domains = settings.widget_domains;
  return Array.isArray(domains) ? domains.filter((d): d is string => typeof d === 'string') : [];
}

/** `validate_origin`: every origin passes when the team lists no domains. */
export function originAllowed(ctx: Context, settings: Record<string, unknown>): boolean {
  const domains = domainsOf(settings);
  if (domains.length === 0) return true;
  const agent = ctx.header('user-agent') ?? '';
  if (MOBILE_AGENTS.some((keyword) => agent.includes(keyword))) return true;
  const hosts = [hostnameOf(ctx.header('origin')), hostnameOf(ctx.header('referer'))].filter((h): h is string => h !== undefined);
  return hosts.some((hostname) => domains.some((entry) => domainAllows(entry, hostname)));
}

const ENCODED_AUTHORITY_TERMINATORS = ['%2f', '%3f', '%23', '%40'];

/** `has_ambiguous_authority`: a URL whose host some client would read differently. */
export function ambiguousAuthority(url: string): boolean {
  const lower = url.toLowerCase();
  if (url.includes('\\') || lower.includes('%5c')) return true;
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  return ENCODED_AUTHORITY_TERMINATORS.some((t) => authority.includes(t));
}

/** `validate_url_matches_request_origin`: http(s), unambiguous, same host as Origin (or Referer). */
export function urlMatchesOrigin(ctx: Context, url: string): boolean {
  if (ambiguousAuthority(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  const originHost = hostnameOf(ctx.header('origin') || ctx.header('referer'));
  return originHost !== undefined && originHost === parsed.hostname.toLowerCase();
}

/** `validate_url_domain`: fails closed; entries may be bare hosts or URLs; `*.x` matches x and its subdomains. */
export function urlDomainAllowed(url: string, settings: Record<string, unknown>): boolean {
  const domains = domainsOf(settings);
  if (domains.length === 0 || ambiguousAuthority(url)) return false;
  const host = hostnameOf(url);
  if (!host) return false;
  return domains.some((raw) => {
    let domain = raw.toLowerCase().trim();
    if (domain.includes('://')) domain = hostnameOf(domain) ?? '';
    if (domain.startsWith('*.')) {
      const base = domain.slice(2);
      return host === base || host.endsWith(`.${base}`);
    }
    return domain !== '' && host === domain;
  });
}
