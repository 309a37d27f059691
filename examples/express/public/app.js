// "Your app" in the browser: draws who is logged in, the login buttons and what was signed from one
// state, so a single-page login (posthog.setIdentity) leaves the page as a full login would.
const state = JSON.parse(document.getElementById('demo-state').textContent);
const element = (tag, className, text) => Object.assign(document.createElement(tag), { className, textContent: text ?? '' });
const post = async (path, body) => {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
};

function signedFields(identity) {
  if (state.viaProxy)
    return element('p', '', "Nothing in this page: in proxy mode this app's /ingest signs each widget call for the logged-in user.");
  if (!identity) return element('p', '', "You are not logged in, so nothing was signed: the widget uses this browser's anonymous session.");
  const list = element('dl', 'fields');
  for (const [name, value] of Object.entries(identity)) {
    const dd = document.createElement('dd');
    const shown = name === 'identity_exp_email' ? `${value} (${new Date(value * 1000).toISOString()})` : String(value);
    dd.append(element('code', '', shown));
    list.append(element('dt', '', name), dd);
  }
  return list;
}

function render(note) {
  const { user, identity } = state;
  const who = document.getElementById('who');
  who.replaceChildren();
  if (user) {
    who.append('Logged in as ', element('b', '', user.name), ` (${user.userId}). The widget shows your tickets on every browser.`);
  } else who.append("Not logged in: the widget uses this browser's anonymous session.");
  if (note) who.append(' ', element('span', 'hint', note));
  document.getElementById('logout').hidden = !user;
  const login = document.getElementById('login');
  login.hidden = Boolean(user);
  login.replaceChildren(
    ...Object.entries(state.users).map(([key, name]) => {
      const form = Object.assign(document.createElement('form'), { method: 'post', action: '/login' });
      form.append(Object.assign(element('button', '', `Log in as ${name}`), { name: 'user', value: key }));
      return form;
    }),
  );
  if (!user && !state.viaProxy) {
    const spa = element('button', 'secondary', `Log in as ${Object.values(state.users)[0]} without reloading`);
    spa.id = 'spa-login';
    spa.addEventListener('click', () => logInWithoutReload(Object.keys(state.users)[0]));
    login.append(spa);
  }
  document.getElementById('signed').replaceChildren(signedFields(identity));
}

async function logInWithoutReload(key) {
  let answer;
  try {
    answer = await post('/api/login', { user: key });
  } catch (error) {
    return render(`(the login failed: ${error.message})`);
  }
  const { user, posthogIdentity } = answer;
  window.posthog?.setIdentity?.(posthogIdentity.identity_distinct_id, posthogIdentity.identity_hash);
  Object.assign(state, { user, identity: posthogIdentity });
  render('(logged in without a reload: posthog.setIdentity)');
}

document.getElementById('spa-logout').addEventListener('click', async () => {
  await post('/logout');
  window.posthog?.clearIdentity?.();
  Object.assign(state, { user: null, identity: null });
  render('(logged out without a reload: posthog.clearIdentity)');
});
render();
