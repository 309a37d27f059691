// The restore link as `_build_restore_url` builds it (expectations from Python's urllib), and the
// request URL as Django's URLValidator accepts it.
import { describe, expect, it } from 'vitest';
import { buildRestoreUrl, isDjangoUrl } from '../../src/testing/emulator/urls.js';

describe('_build_restore_url', () => {
  it.each([
    [
      'drops blank parameters and the fragment',
      'https://app.example.com/help?tab=chat&empty=&flag#section',
      'https://app.example.com/help?tab=chat&ph_conv_restore=TOKEN_abc-123',
    ],
    [
      'keeps the host as sent and adds no slash',
      'https://App.Example.com:443',
      'https://App.Example.com:443?ph_conv_restore=TOKEN_abc-123',
    ],
    [
      'replaces an old token in place and re-encodes the rest as quote_plus does',
      'https://x.io/p?q=a+b%20c&q=d&ph_conv_restore=old&star=*~',
      'https://x.io/p?q=a+b+c&q=d&ph_conv_restore=TOKEN_abc-123&star=%2A~',
    ],
    ['keeps UTF-8 values', 'http://127.0.0.1:3000/?utm=%E2%9C%93', 'http://127.0.0.1:3000/?utm=%E2%9C%93&ph_conv_restore=TOKEN_abc-123'],
  ])('%s', (_, base, expected) => {
    expect(buildRestoreUrl(base, 'TOKEN_abc-123')).toBe(expected);
  });
});

describe("Django's URLValidator", () => {
  it.each([
    'https://app.example.com/help?x=1',
    'http://localhost:3000/',
    'http://127.0.0.1:8000',
    'https://user:pw@example.co.uk/a#b',
    'http://[::1]:8080/',
    'https://xn--bcher-kva.example/',
    'ftp://files.example.org',
  ])('accepts %s', (url) => {
    expect(isDjangoUrl(url)).toBe(true);
  });

  it.each([
    'http://intranet/',
    'javascript:alert(1)',
    'mailto:ada@example.com',
    'https://exa mple.com',
    'https://-example.com',
    'http://999.1.1.1/',
    'http://example.com:99999/',
    'example.com/page',
    `https://example.com/${'a'.repeat(2048)}`,
  ])('refuses %s', (url) => {
    expect(isDjangoUrl(url)).toBe(false);
  });
});
