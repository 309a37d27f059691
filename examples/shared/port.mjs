// The demo's port, for `npm run demo` (checked before the build) and the server itself: PORT when
// set, a whole number from 0 to 65535 (0 picks a free one); else 3000, or a free port when 3000 is taken.
export const DEFAULT_PORT = 3000;
export const FREE_PORT_INSTEAD = `Port ${DEFAULT_PORT} is in use: the demo takes a free port instead (or set PORT).`;
export const portInUse = (port) => `Port ${port} is in use: set PORT to another port, or PORT=0 for a free one.`;

/** The message for a PORT that is not a port, or undefined when it is one (or unset). */
export function portProblem(value) {
  if (value === undefined || (/^\d{1,5}$/.test(value) && Number(value) <= 65535)) return undefined;
  return `PORT must be a port number from 0 to 65535 (0 for a free one), got ${JSON.stringify(value)}.`;
}
