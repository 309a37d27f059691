// "What the SDK did", kept fresh: reads /sdk.json every second and a half.
const element = (tag, className, text) => Object.assign(document.createElement(tag), { className, textContent: text ?? '' });
const time = (at) => new Date(at).toLocaleTimeString();
const row = (cells, classes = []) => {
  const tr = document.createElement('tr');
  cells.forEach((cell, i) => {
    tr.append(element('td', classes[i] ?? '', cell));
  });
  return tr;
};

function renderSigned(signed) {
  const box = document.getElementById('signed');
  if (!signed)
    return box.replaceChildren(element('p', 'hint', 'Nothing yet: log in on "Your app" and the identity signed for that page shows here.'));
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

async function refresh() {
  const { signed, requests, deliveries } = await (await fetch('/sdk.json')).json();
  renderSigned(signed);
  document
    .querySelector('#requests tbody')
    .replaceChildren(
      ...requests.map((r) =>
        row([time(r.at), `${r.method} ${r.path}`, String(r.status ?? '…')], ['', '', `status-${String(r.status ?? '')[0]}`]),
      ),
    );
  document
    .querySelector('#deliveries tbody')
    .replaceChildren(...deliveries.map((d) => row([time(d.at), d.event, d.ticket === null ? '' : `#${d.ticket}`, d.id])));
}

const poll = () =>
  refresh()
    .catch(() => undefined)
    .finally(() => setTimeout(poll, 1500));
poll();
