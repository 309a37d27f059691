/**
 * `verify --explain`: when a hash does not verify, try the usual causes one by one and say which one
 * it is. Node only (the CLI). Keys are tried with node:crypto directly, since a wrong key (a `phc_`
 * project key, a padded secret) is exactly what is being looked for; none is ever printed.
 */
import { createHmac } from 'node:crypto';
import { pythonStrip } from '../identity/rules.js';

/** A key to try, with how to name it (never its value). */
export interface ExplainKey {
  value: string;
  label: string;
}

const hmac = (key: string, message: string) => createHmac('sha256', key).update(message, 'utf8').digest('hex');

/** The id variants an app can sign by mistake, each with the words for it. */
function idVariants(id: string): Array<[string, string]> {
  const variants: Array<[string, string]> = [
    [pythonStrip(id), 'the id without its surrounding whitespace (the server strips it before verifying; your app signed something else)'],
    [`${id}\n`, 'the id with a trailing newline (read from a file or a shell?)'],
    [`${id}\r\n`, 'the id with a trailing CR LF'],
    [JSON.stringify(id), 'the id as a JSON string, quotes included'],
    [id.normalize('NFC'), 'the NFC form of the id (the same text, other Unicode code points)'],
    [id.normalize('NFD'), 'the NFD form of the id (the same text, other Unicode code points)'],
    [id.toLowerCase(), 'the id in lowercase (distinct ids are case-sensitive)'],
    [id.toUpperCase(), 'the id in uppercase (distinct ids are case-sensitive)'],
  ];
  return variants.filter(([variant]) => variant !== id);
}

/**
 * The likely causes of a mismatch, most specific first; empty when none of the usual ones fits.
 * `keys` are the secrets in use (current first); `otherKeys` are keys the hash may wrongly have been
 * made with (the project key, a personal key, the previous secret).
 */
export function explainMismatch(id: string, hash: string, keys: readonly ExplainKey[], otherKeys: readonly ExplainKey[]): string[] {
  const causes: string[] = [];
  const lower = hash.toLowerCase();
  if (lower !== hash && keys.some((key) => hmac(key.value, id) === lower)) {
    causes.push('the hash is uppercase hex; the server compares it exactly, in lowercase: send hash.toLowerCase()');
  }
  for (const key of keys) {
    for (const [variant, words] of idVariants(id)) if (hmac(key.value, variant) === lower) causes.push(`the hash was signed for ${words}`);
    for (const [variant, words] of [
      [key.value.trim(), 'without the whitespace around it'],
      [`${key.value}\n`, 'with a trailing newline'],
    ] as const) {
      if (variant !== key.value && hmac(variant, id) === lower)
        causes.push(`the hash was signed with ${key.label} ${words}: the server signs with the exact key`);
    }
  }
  for (const key of otherKeys) {
    if (hmac(key.value, id) === lower)
      causes.push(`the hash was signed with ${key.label}, not with the Secret API key the server verifies with`);
  }
  if (!/^[0-9a-fA-F]{64}$/.test(hash))
    causes.unshift(`the hash is not 64 hex characters (it has ${hash.length} characters): it is not an HMAC-SHA256 hex digest`);
  return causes;
}

/** The likely causes of an email claim that does not verify for `id` (the identity hash itself verified). */
export function explainClaimMismatch(
  claim: { id: string; email: string; hash: string; exp: string },
  keys: readonly ExplainKey[],
  nowSeconds: number,
): string[] {
  if (!/^\d{1,15}$/.test(claim.exp)) return ['--exp is not whole Unix seconds'];
  const exp = Number(claim.exp);
  if (exp <= nowSeconds)
    return [`the claim expired ${nowSeconds - exp} s ago: claims last at most 24 h, so sign a fresh one with each page`];
  if (exp > nowSeconds + 86_400 + 300)
    return [`the claim expires ${exp - nowSeconds} s from now, more than 24 h (+5 min) ahead: the server refuses it`];
  const message = (email: string) => `v1\0${claim.id}\0email\0${email}\0${claim.exp}`;
  const lower = claim.hash.toLowerCase();
  for (const key of keys) {
    if (claim.email !== pythonStrip(claim.email).toLowerCase() && hmac(key.value, message(claim.email)) === lower) {
      return ['the claim was signed over the email as given; the server signs its canonical form, strip().lower()'];
    }
  }
  return [
    'the claim does not match this distinct id with your secrets: it was signed for another id (claims are bound to one), for another email, or with another key',
  ];
}
