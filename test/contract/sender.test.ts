// The contract suite runs twice: on undici (the `unit` project) and on fetch (the `fetch` project,
// what every runtime but Node.js gets). This proves which one each run used.
import { describe, expect, it } from 'vitest';
import { sender, session, useEmulator } from './setup.js';

const api = useEmulator();

describe(`the contract suite's clients send on ${sender.name}`, () => {
  it('sends every call the way this project says', async () => {
    const before = sender.fetchCalls;
    await api.client().widget.listTickets({ widgetSessionId: session() });
    await api.client().tickets.list({ limit: 1 });
    expect(sender.fetchCalls - before).toBe(sender.name === 'fetch' ? 2 : 0);
  });
});
