/**
 * The bound on every log line the SDK writes by itself: each kind of problem at most once per
 * `intervalMs` (Infinity: once per process), and at most `maxKinds` kinds remembered, so a bad
 * record read on every request, or a server sending a new surprise on every call, cannot flood
 * the log: at most `maxKinds` lines per interval.
 */
export function logLimit(intervalMs: number, maxKinds: number): (kind: string) => boolean {
  const lastLogged = new Map<string, number>();
  return (kind) => {
    const now = Date.now();
    const last = lastLogged.get(kind);
    if (last !== undefined && now - last < intervalMs) return false;
    if (last === undefined && lastLogged.size >= maxKinds) {
      for (const [seen, at] of lastLogged) if (now - at >= intervalMs) lastLogged.delete(seen);
      if (lastLogged.size >= maxKinds) return false;
    }
    lastLogged.delete(kind); // re-inserted last: the map stays in logging order
    lastLogged.set(kind, now);
    return true;
  };
}
