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

async function refreshTickets() {
  const tickets = await api('/tickets');
  if (tickets.length === 0) return;
  ticketsList.replaceChildren(
    ...tickets.map((ticket) => {
      const item = element('li', ticket.id === selected ? 'selected' : '');
      item.dataset.id = ticket.id;
      item.append(
        element('b', '', `#${ticket.ticket_number} `),
        element('span', 'badge', ticket.status),
        element('div', '', ticket.last_message_text ?? ''),
        element('div', 'meta', `${ticket.distinct_id} · ${ticket.message_count} messages`),
      );
      item.addEventListener('click', () => select(ticket.id));
      return item;
    }),
  );
}

async function refreshThread() {
  if (!selected) return;
  const { ticket, messages } = await api(`/tickets/${selected}`);
  document.getElementById('thread-title').textContent = `Ticket #${ticket.ticket_number} · ${ticket.distinct_id}`;
  for (const button of document.querySelectorAll('#statuses button'))
    button.classList.toggle('current', button.dataset.status === ticket.status);
  const list = document.getElementById('messages');
  list.replaceChildren(
    ...[...messages]
      .sort((a, b) => a.created_at.localeCompare(b.created_at))
      .map((message) => {
        const item = element('li', message.author_type === 'customer' ? 'customer' : 'team');
        item.append(element('span', 'author', message.author_name ?? message.author_type), document.createTextNode(message.content));
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
