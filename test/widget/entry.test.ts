// posthog-conversations/widget from source: the widget API alone, against the emulator over real
// HTTP, and what it refuses (any secret, with the reason).
import { describe, expect, it } from 'vitest';
import { computeIdentityHash } from '../../src/identity/index.js';
import { ConfigurationError, NotFoundError, createWidgetClient } from '../../src/widget/index.js';
import { D, session, useEmulator } from '../contract/setup.js';

const api = useEmulator();

describe('createWidgetClient', () => {
  it('sends, lists and reads as a verified user with an identity the server signed', async () => {
    const widget = createWidgetClient({ host: api.emulator.url, publicToken: D.publicToken, retry: false });
    const identity = { identity_distinct_id: 'user_w', identity_hash: computeIdentityHash('user_w', D.secretApiToken) };
    const { ticket_id } = await widget.sendMessage({ identity, message: 'from a custom chat UI' });
    const page = await widget.listTickets({ identity });
    expect(page.results.map((ticket) => ticket.id)).toEqual([ticket_id]);
    const messages = await widget.getMessages(ticket_id, { identity });
    expect(messages.messages.map((message) => message.content)).toEqual(['from a custom chat UI']);
    await expect(widget.getMessages(session(), { identity })).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each(['secretApiToken', 'personalApiKey', 'secret'])('refuses %s, saying a secret must never reach a browser', (key) => {
    const make = () => createWidgetClient({ publicToken: D.publicToken, [key]: 'phs_x' } as never);
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(new RegExp(`takes no ${key}: .*a secret must never reach one`));
  });

  it('refuses an unknown option with its nearest name, and a missing public token', () => {
    expect(() => createWidgetClient({ publicToken: 'p', deadlinMs: 5 } as never)).toThrow(/deadlinMs.*deadlineMs/);
    expect(() => createWidgetClient({} as never)).toThrow(/needs publicToken/);
    expect(() => createWidgetClient({ publicToken: 'p', projectId: 1 } as never)).toThrow(ConfigurationError);
  });
});
