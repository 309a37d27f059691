// The emulator's origin and URL checks (serializers.py: validate_origin, validate_url_domain,
// validate_url_matches_request_origin, has_ambiguous_authority), as units.
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/testing/emulator/http.js';
import { ambiguousAuthority, originAllowed, urlDomainAllowed, urlMatchesOrigin } from '../../src/testing/emulator/origin.js';

const request = (headers: Record<string, string>) => ({ header: (name: string) => headers[name.toLowerCase()] }) as unknown as Context;
const domains = (...list: string[]) => ({ widget_domains: list });

describe('validate_origin', () => {
  it('lets every origin through when no domains are listed', () => {
    expect(originAllowed(request({ origin: 'https://anywhere.example' }), domains())).toBe(true);
  });

  it('matches the Origin, or else the Referer, against entries with a scheme; a bare host matches nothing', () => {
    expect(originAllowed(request({ origin: 'https://app.example.com' }), domains('https://app.example.com'))).toBe(true);
    expect(originAllowed(request({ referer: 'https://app.example.com/page' }), domains('https://*.example.com'))).toBe(true);
    expect(originAllowed(request({ origin: 'https://app.example.com' }), domains('app.example.com'))).toBe(false);
    expect(originAllowed(request({ origin: 'https://evil.test' }), domains('https://app.example.com'))).toBe(false);
    expect(originAllowed(request({}), domains('https://app.example.com'))).toBe(false);
  });

  it("lets PostHog's mobile SDKs through by their user agent", () => {
    expect(originAllowed(request({ 'user-agent': 'posthog-ios/3.0' }), domains('https://app.example.com'))).toBe(true);
  });
});

describe('validate_url_domain (restore links)', () => {
  it('fails closed with no domains, takes bare hosts and URLs, and *.x for x and its subdomains', () => {
    expect(urlDomainAllowed('https://app.example.com/help', domains())).toBe(false);
    expect(urlDomainAllowed('https://app.example.com/help', domains('app.example.com'))).toBe(true);
    expect(urlDomainAllowed('https://app.example.com/help', domains('https://app.example.com'))).toBe(true);
    expect(urlDomainAllowed('https://example.com/', domains('*.example.com'))).toBe(true);
    expect(urlDomainAllowed('https://deep.app.example.com/', domains('*.example.com'))).toBe(true);
    expect(urlDomainAllowed('https://notexample.com/', domains('*.example.com'))).toBe(false);
  });
});

describe('validate_url_matches_request_origin and has_ambiguous_authority', () => {
  it('needs http(s) and the same host as the Origin', () => {
    const from = request({ origin: 'https://app.example.com' });
    expect(urlMatchesOrigin(from, 'https://app.example.com/help')).toBe(true);
    expect(urlMatchesOrigin(from, 'https://other.example.com/help')).toBe(false);
    expect(urlMatchesOrigin(from, 'ftp://app.example.com/')).toBe(false);
    expect(urlMatchesOrigin(request({}), 'https://app.example.com/')).toBe(false);
  });

  it.each([
    'https://app.example.com\\@evil.test/',
    'https://app.example.com%5c@evil.test/',
    'https://evil.test%2f@app.example.com/',
    'https://a%40b@app.example.com/',
  ])('refuses %s, whose host a client could read another way', (url) => {
    expect(ambiguousAuthority(url)).toBe(true);
    expect(urlMatchesOrigin(request({ origin: 'https://app.example.com' }), url)).toBe(false);
  });
});
