// "What the SDK did", kept fresh: reads /sdk.json every second and a half.
const element = (tag, className, text) => Object.assign(document.createElement(tag), { className, textContent: text ?? '' });
const time = (at) => new Date(at).toLocaleTimeString();

function renderSigned(signed) {
  const box = document.getElementById('signed');
  if (!signed)
    return box.replaceChildren(element('p', 'hint', 'Nothing yet: log in on "Your app" and the identity signed for that page shows here.'));
  if (signed.viaProxy)
    return box.replaceChildren(
      element('p', '', `Nothing in the page (proxy mode, ${time(signed.at)}): this app's /ingest signs each widget call instead.`),
    );
  const list = element('dl', 'fields');
  const fields = { ...signed.identity, signed_at: new Date(signed.at).toISOString() };
  if (fields.identity_exp_email)
    fields.identity_exp_email = `${fields.identity_exp_email} (${new Date(fields.identity_exp_email * 1000).toISOString()})`;
  for (const [name, value] of Object.entries(fields)) {
    const dd = document.createElement('dd');
    dd.append(element('code', '', String(value)));
    list.append(element('dt', '', name), dd);
  }
  box.replaceChildren(list);
}

/** Who sent a widget call: its verified identity (any browser), else one browser's anonymous session. */
const callerOf = (r) =>
  r.distinctId !== undefined
    ? `identity ${r.distinctId}${r.sessionId ? ` (with browser session ${r.sessionId}…)` : ''}`
    : r.sessionId !== undefined
      ? `anonymous browser session ${r.sessionId}…`
      : 'no identity or session';

/**
 * Requests grouped by caller (newest group first). In a group, each read (GET) the widget repeats
 * while it polls is one line with a count and its first and last time; every write is a line of its own.
 */
function groupRequests(requests) {
  const groups = new Map();
  for (const r of requests) {
    const key = callerOf(r);
    const group = groups.get(key) ?? { key, lines: [], reads: new Map() };
    groups.delete(key);
    groups.set(key, group); // most recently active last
    const call = `${r.method} ${r.path}`;
    const readKey = `${call} ${r.status}`;
    const folded = r.method === 'GET' ? group.reads.get(readKey) : undefined;
    if (folded) {
      folded.times += 1;
      folded.last = r.at;
      continue;
    }
    const line = { call, status: r.status, first: r.at, last: r.at, times: 1 };
    group.lines.push(line);
    if (r.method === 'GET') group.reads.set(readKey, line);
  }
  for (const group of groups.values()) group.lines.sort((a, b) => String(b.last).localeCompare(String(a.last)));
  return [...groups.values()].reverse();
}

function renderRequests(requests) {
  const box = document.getElementById('requests');
  if (requests.length === 0)
    return box.replaceChildren(element('p', 'hint', 'None yet: the widget calls as soon as a page with it opens.'));
  box.replaceChildren(
    ...groupRequests(requests).map((group) => {
      const section = element('div', 'caller');
      section.append(element('h3', '', group.key));
      const table = document.createElement('table');
      const body = document.createElement('tbody');
      for (const line of group.lines) {
        const tr = document.createElement('tr');
        const span = line.times === 1 ? time(line.last) : `${time(line.first)} – ${time(line.last)}`;
        tr.append(
          element('td', 'when', span),
          element('td', 'call', line.call),
          element('td', `status status-${String(line.status ?? '')[0]}`, String(line.status ?? '…')),
          element('td', 'times', line.times === 1 ? '' : `×${line.times}`),
        );
        body.append(tr);
      }
      table.append(body);
      section.append(table);
      return section;
    }),
  );
}

async function refresh() {
  const { signed, requests, deliveries } = await (await fetch('/sdk.json')).json();
  renderSigned(signed);
  renderRequests(requests);
  document.querySelector('#deliveries tbody').replaceChildren(
    ...deliveries.map((d) => {
      const tr = document.createElement('tr');
      tr.append(
        element('td', '', time(d.at)),
        element('td', '', d.event),
        element('td', '', d.ticket === null ? '' : `#${d.ticket}`),
        element('td', '', d.id),
      );
      return tr;
    }),
  );
}

const poll = () =>
  refresh()
    .catch(() => undefined)
    .finally(() => setTimeout(poll, 1500));
poll();
