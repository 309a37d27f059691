// The support inbox in the browser: lists tickets, shows a thread, replies and sets the status,
// through this app's /inbox/api routes (which call PostHog's admin API with the SDK).
const ticketsList = document.getElementById('tickets');
const thread = document.getElementById('thread');
let selected;

const api = async (path, body) => {
  const response = await fetch(
    `/inbox/api${path}`,
    body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {},
  );
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
};
const element = (tag, className, text) => Object.assign(document.createElement(tag), { className, textContent: text ?? '' });
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const when = (at) => (at ? new Date(at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : '');

/** Who wrote in: the person PostHog knows for the distinct id, else what the visitor typed in the widget. */
function customer(ticket) {
  const traits = ticket.anonymous_traits ?? {};
  const email = ticket.person?.properties?.email ?? traits.email;
  const name = ticket.person?.properties?.name ?? traits.name;
  return { name: typeof name === 'string' ? name : undefined, email: typeof email === 'string' ? email : undefined };
}

/** The customer line: name, email, the distinct id, and whether the widget's identity was verified. */
function customerLine(ticket) {
  const { name, email } = customer(ticket);
  const line = element('span', 'who');
  line.append(element('b', '', name ?? 'Anonymous visitor'));
  if (email) line.append(` <${email}>`);
  line.append(' ', element('code', '', ticket.distinct_id));
  if (ticket.identity_verified === true) line.append(' ', element('span', 'badge verified', 'verified'));
  else if (ticket.identity_verified === false) line.append(' ', element('span', 'badge', 'anonymous'));
  return line;
}

async function refreshTickets() {
  const tickets = await api('/tickets');
  if (tickets.length === 0) return;
  ticketsList.replaceChildren(
    ...tickets.map((ticket) => {
      const item = element('li', ticket.id === selected ? 'selected' : '');
      item.dataset.id = ticket.id;
      item.append(
        element('b', '', `#${ticket.ticket_number} `),
        element('span', `badge status-${ticket.status}`, ticket.status.replace('_', ' ')),
        element('div', 'who-line'),
        element('div', 'text', ticket.last_message_text ?? ''),
        element(
          'div',
          'meta',
          `${plural(ticket.message_count, 'message', 'messages')} · last ${when(ticket.last_message_at ?? ticket.updated_at)} · opened ${when(ticket.created_at)}`,
        ),
      );
      item.querySelector('.who-line').append(customerLine(ticket));
      item.addEventListener('click', () => select(ticket.id));
      return item;
    }),
  );
}

async function refreshThread() {
  if (!selected) return;
  const { ticket, messages } = await api(`/tickets/${selected}`);
  document.getElementById('thread-title').textContent = `Ticket #${ticket.ticket_number}`;
  document.getElementById('thread-customer').replaceChildren(customerLine(ticket));
  for (const button of document.querySelectorAll('#statuses button'))
    button.classList.toggle('current', button.dataset.status === ticket.status);
  const list = document.getElementById('messages');
  list.replaceChildren(
    ...[...messages]
      .sort((a, b) => a.created_at.localeCompare(b.created_at))
      .map((message) => {
        const item = element('li', message.author_type === 'customer' ? 'customer' : 'team');
        const author = element('span', 'author', `${message.author_name ?? message.author_type} · `);
        author.append(element('time', '', when(message.created_at)));
        item.append(author, document.createTextNode(message.content));
        return item;
      }),
  );
}

function select(id) {
  selected = id;
  thread.hidden = false;
  void refreshTickets();
  void refreshThread();
}

document.getElementById('reply').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  await api(`/tickets/${selected}/reply`, { message: form.message.value });
  form.reset();
  await Promise.all([refreshThread(), refreshTickets()]);
});
for (const button of document.querySelectorAll('#statuses button')) {
  button.addEventListener('click', async () => {
    await api(`/tickets/${selected}/status`, { status: button.dataset.status });
    await Promise.all([refreshThread(), refreshTickets()]);
  });
}

const poll = () =>
  Promise.all([refreshTickets(), refreshThread()])
    .catch(() => undefined)
    .finally(() => setTimeout(poll, 1500));
poll();
