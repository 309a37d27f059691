// The app's own auth, kept tiny for the demo: a signed cookie naming a sample user.
// Any session library (Auth.js, iron-session, your own) plays this part.
import { cookies } from 'next/headers';
import { IdentitySigner } from 'posthog-conversations/next';

export const USERS = {
  ada: { userId: 'user_ada', email: 'ada@example.com', name: 'Ada' },
  grace: { userId: 'user_grace', email: 'grace@example.com', name: 'Grace' },
} as const;
export type UserKey = keyof typeof USERS;

// A made-up key that signs the demo session cookie (HMAC-SHA256): set SESSION_SECRET in real use.
const cookieSigner = new IdentitySigner({ secret: process.env.SESSION_SECRET ?? 'demo-session-cookie-key' });
const COOKIE = 'demo_session';

export async function sessionUser() {
  const [key, mac] = ((await cookies()).get(COOKIE)?.value ?? '').split('.');
  if (!key || !mac || !(key in USERS) || !cookieSigner.verify(key, mac)) return undefined;
  return USERS[key as UserKey];
}

export async function startSession(key: UserKey) {
  (await cookies()).set(COOKIE, `${key}.${cookieSigner.sign(key)}`, { httpOnly: true, sameSite: 'lax', path: '/' });
}

export async function endSession() {
  (await cookies()).delete(COOKIE);
}
