'use server';
import { redirect } from 'next/navigation';
import { posthog } from '../lib/posthog';
import { USERS, endSession, startSession, type UserKey } from '../lib/session';

/** Form login: the next render carries the identity in the init options. */
export async function logIn(form: FormData) {
  const key = String(form.get('user'));
  if (key in USERS) await startSession(key as UserKey);
  redirect('/');
}

/** Single-page login: returns the identity for posthog.setIdentity in the browser. */
export async function logInWithoutReload(key: UserKey) {
  await startSession(key);
  return posthog.getIdentity();
}

export async function logOut() {
  await endSession();
  redirect('/');
}

/** Single-page logout: the browser then calls posthog.clearIdentity(). */
export async function logOutWithoutReload() {
  await endSession();
}
