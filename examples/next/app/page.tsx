import { logIn, logOut } from './actions';
import { USERS, sessionUser } from '../lib/session';
import { SpaLogin, SpaLogout } from './spa-login';

export default async function Page() {
  const user = await sessionUser();
  return (
    <main>
      <h1>Support widget with a verified identity</h1>
      {user ? (
        <>
          <p id="who">
            Logged in as {user.name} ({user.userId}). The widget shows your tickets on every browser.
          </p>
          <form action={logOut}>
            <button type="submit">Log out</button>
          </form>
          <SpaLogout />
        </>
      ) : (
        <>
          <p id="who">Not logged in: the widget uses this browser&apos;s anonymous session.</p>
          {Object.entries(USERS).map(([key, u]) => (
            <form action={logIn} key={key}>
              <button type="submit" name="user" value={key}>
                Log in as {u.name}
              </button>
            </form>
          ))}
          <SpaLogin />
        </>
      )}
    </main>
  );
}
