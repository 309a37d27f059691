'use client';
import { logInWithoutReload, logOutWithoutReload } from './actions';

export function SpaLogin() {
  return (
    <button
      type="button"
      id="spa-login"
      onClick={async () => {
        const identity = await logInWithoutReload('ada');
        if (identity) window.posthog?.setIdentity?.(identity.identity_distinct_id, identity.identity_hash);
      }}
    >
      Log in as Ada without reloading
    </button>
  );
}

export function SpaLogout() {
  return (
    <button
      type="button"
      id="spa-logout"
      onClick={async () => {
        await logOutWithoutReload();
        window.posthog?.clearIdentity?.();
      }}
    >
      Log out without reloading
    </button>
  );
}
