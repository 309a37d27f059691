import { describe, expect, it } from 'vitest';
import { redactText, redactValue } from '../../src/http/redact.js';

describe('redact', () => {
  it.each([
    ['a known secret anywhere', 'x my-widget-token y', ['my-widget-token'], 'x *** y'],
    ['a secret-key shape', 'key phs_abcdef123456 used', [], 'key phs_*** used'],
    ['a personal-key shape', 'phx_AbCdEf_123-456', [], 'phx_***'],
    ['a bearer value', 'Authorization: Bearer abc.def-ghi', [], 'Authorization: Bearer ***'],
    ['a basic value', 'basic dXNlcjpwYXNz', [], 'basic ***'],
    ['nothing secret', 'Not found.', ['my-widget-token'], 'Not found.'],
    ['a short prefix that is not a key', 'php_ and phs_ab', [], 'php_ and phs_ab'],
    ['a known key echoed without its prefix', 'token k3yR4nd0m_part=1 refused', ['phs_k3yR4nd0m_part'], 'token ***=1 refused'],
    ['a known key with its underscores URL-escaped', 'q=phs%5Fk3yR4nd0m%5Fpart', ['phs_k3yR4nd0m_part'], 'q=***'],
    ['a known key with its underscores JSON-escaped', '{"t":"phs\\u005fk3yR4nd0m\\u005fpart"}', ['phs_k3yR4nd0m_part'], '{"t":"***"}'],
  ])('masks %s', (_, text, secrets, expected) => {
    expect(redactText(text, secrets)).toBe(expected);
  });

  it('masks keys and values of nested JSON and keeps other values', () => {
    const value = { detail: 'phs_secret_value', nested: [{ phx_personal_key: 1, n: 2, b: true, z: null }] };
    expect(redactValue(value, [])).toEqual({ detail: 'phs_***', nested: [{ 'phx_***': 1, n: 2, b: true, z: null }] });
  });

  it('masks a key wherever a body is cut: redaction comes before any truncation', () => {
    const secret = 'phx_0123456789abcdefghij';
    for (let cut = 1; cut < 40; cut++) {
      const text = `${'x'.repeat(cut)}${secret.slice(4)}`;
      expect(redactText(text, [secret]).slice(0, 30)).not.toMatch(/0123456789/);
    }
  });

  it('drops what is nested past its depth bound instead of keeping it unmasked', () => {
    let deep: unknown = 'phs_secret_value';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(JSON.stringify(redactValue(deep, []))).not.toContain('phs_secret');
  });
});
