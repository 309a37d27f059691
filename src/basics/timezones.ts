/** IANA timezone names as PostHog's server reads them (`ZoneInfo(name)`): shared by the client's checks and the emulator. */

/** Whether `ZoneInfo(name)` accepts the name: an IANA zone (as the database spells it), not an offset like `+01:00`. */
export function isZoneName(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() !== name.toLowerCase() || resolved === name;
  } catch {
    return false;
  }
}
