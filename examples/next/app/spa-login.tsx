'use client';
import { logInWithoutReload } from './actions';

export function SpaLogin() {
  return (
    <button
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
