// createClient's configuration, input validation before any I/O, and secrets kept out of every output.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, ValidationError, createClient } from '../../src/index.js';
import { rejection, session, useEmulator } from '../contract/setup.js';

const env = useEmulator();
const SECRET = 'phs_ZZZ_client_secret_never_printed';
const PERSONAL = 'phx_YYY_personal_key_never_printed';

describe('createClient configuration', () => {
  it.each([
    ['a phc_ key as the secret', { secretApiToken: 'phc_public' }, /public project API key/],
    ['a padded secret', { secretApiToken: `${SECRET}\n` }, /whitespace/],
    ['a secret as the personal key', { personalApiKey: SECRET }, /personalApiKey must be a personal API key \(phx_/],
    ['a secret as the public token', { publicToken: SECRET }, /publicToken must be the widget public token/],
    ['a host without a scheme', { host: 'us.i.posthog.com' }, /host must be an http\(s\) URL/],
    ['a javascript: host', { host: 'javascript:alert(1)' }, /host must be an http\(s\) URL/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs must be a positive number/],
    ['a negative retry count', { retry: { maxRetries: -1 } }, /retry\.maxRetries must be a whole number from 0 to 10/],
    ['retry as a string', { retry: 'yes' }, /retry must be an options object/],
  ])('refuses %s with a ConfigurationError that never echoes a key', (_, options, message) => {
    let error: unknown;
    try {
      createClient(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
    expect(inspect(error) + JSON.stringify(error)).not.toMatch(/ZZZ|YYY/);
  });

  it('defaults to PostHog US cloud and accepts EU and self-hosted hosts', () => {
    expect(createClient().host).toBe('https://us.i.posthog.com');
    expect(createClient({ host: 'https://eu.i.posthog.com' }).host).toBe('https://eu.i.posthog.com');
  });

  it('says which credential a call needs, before any request', async () => {
    const bare = env.client({ publicToken: undefined, secretApiToken: undefined, personalApiKey: undefined });
    expect(await rejection(bare.widget.listTickets({ widgetSessionId: session() }))).toMatchObject({
      code: 'ERR_CONFIGURATION',
      message: expect.stringMatching(/publicToken/),
    });
    expect(await rejection(bare.external.getTicket(session()))).toMatchObject({ message: expect.stringMatching(/secretApiToken/) });
    expect(await rejection(bare.tickets.list())).toMatchObject({ message: expect.stringMatching(/personalApiKey/) });
    expect(await rejection(bare.settings.get())).toMatchObject({ message: expect.stringMatching(/personalApiKey/) });
    expect(env.emulator.requests).toEqual([]);
  });
});

describe('inputs are checked before any I/O', () => {
  const sid = session();
  const cases: Array<[string, (c: ReturnType<typeof env.client>) => Promise<unknown>, RegExp]> = [
    [
      'sendMessage without any auth',
      (c) => c.widget.sendMessage({ message: 'x', distinctId: 'u' } as never),
      /widgetSessionId .* or identity/,
    ],
    [
      'sendMessage with a number as message',
      (c) => c.widget.sendMessage({ message: 42 as never, widgetSessionId: sid, distinctId: 'u' }),
      /message/,
    ],
    [
      'sendMessage with a lone surrogate',
      (c) => c.widget.sendMessage({ message: 'hi \uD800', widgetSessionId: sid, distinctId: 'u' }),
      /lone UTF-16 surrogate/,
    ],
    ['sendMessage with a NUL', (c) => c.widget.sendMessage({ message: 'a\0b', widgetSessionId: sid, distinctId: 'u' }), /NUL/],
    [
      'sendMessage with a 401-character distinct id',
      (c) => c.widget.sendMessage({ message: 'x', widgetSessionId: sid, distinctId: 'd'.repeat(401) }),
      /distinctId: .*at most 400/,
    ],
    [
      'sendMessage with a bad ticket id',
      (c) => c.widget.sendMessage({ message: 'x', widgetSessionId: sid, distinctId: 'u', ticketId: '1; DROP' }),
      /ticketId/,
    ],
    [
      'sendMessage with nested traits',
      (c) => c.widget.sendMessage({ message: 'x', widgetSessionId: sid, distinctId: 'u', traits: { a: { b: 1 } } as never }),
      /traits/,
    ],
    ['listTickets with limit 0', (c) => c.widget.listTickets({ widgetSessionId: sid, limit: 0 }), /limit/],
    ['listTickets with an unknown status', (c) => c.widget.listTickets({ widgetSessionId: sid, status: 'closed' as never }), /status/],
    [
      'getMessages with a path-traversal ticket id',
      (c) => c.widget.getMessages('../../admin', { widgetSessionId: sid }),
      /ticketId: must be a UUID/,
    ],
    ['markRead with an empty ticket id', (c) => c.widget.markRead('', { widgetSessionId: sid }), /ticketId/],
    [
      'requestRestore with a javascript: URL',
      (c) => c.widget.requestRestore({ email: 'a@b.co', requestUrl: 'javascript:alert(1)' }),
      /requestUrl/,
    ],
    ['tickets.get with a float', (c) => c.tickets.get(1.5), /ticket/],
    ['tickets.list with a 201-character search', (c) => c.tickets.list({ search: 's'.repeat(201) }), /search/],
    ['tickets.update with an unknown status', (c) => c.tickets.update(1, { status: 'closed' as never }), /status/],
    ['tickets.reply with an empty message', (c) => c.tickets.reply(1, { message: '' }), /message/],
    ['tickets.reply with 5001 characters', (c) => c.tickets.reply(1, { message: 'x'.repeat(5001) }), /at most 5000/],
    ['tickets.bulkUpdateStatus with no ids', (c) => c.tickets.bulkUpdateStatus({ ids: [], status: 'open' }), /ids/],
    [
      'external.updateTicket with 101 tags',
      (c) => c.external.updateTicket(session(), { tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }),
      /tags/,
    ],
    ['remoteConfig.get with a path in the key', (c) => c.remoteConfig.get('phc_x/../../secret'), /projectApiKey/],
  ];

  it.each(cases)('%s is a ValidationError naming the field', async (_, call, message) => {
    const error = await rejection(call(env.client()));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(message);
    expect(env.emulator.requests).toEqual([]);
  });

  it('sends hostile text as plain data and reads it back unchanged', async () => {
    const { widget } = env.client();
    const hostile = '</script><script>alert(1)</script> \u2028 \u2029 <!-- "\'` 🦔';
    const sent = await widget.sendMessage({ message: hostile, widgetSessionId: sid, distinctId: hostile.slice(0, 30) });
    const page = await widget.getMessages(sent.ticket_id, { widgetSessionId: sid });
    expect(page.messages[0]!.content).toBe(hostile.trim());
  });
});

describe('secrets stay secret', () => {
  it('no inspect, JSON or string of a client or its parts contains a key', () => {
    const client = createClient({ secretApiToken: SECRET, personalApiKey: PERSONAL, projectId: 1, publicToken: 'pub' });
    const views = [
      inspect(client, { depth: Infinity, showHidden: true }),
      JSON.stringify(client),
      String(client),
      inspect(client.external, { depth: Infinity, showHidden: true }),
      inspect(client.tickets, { depth: Infinity, showHidden: true }),
      inspect(client.settings, { depth: Infinity, showHidden: true }),
      inspect(client.widget, { depth: Infinity, showHidden: true }),
      JSON.stringify({ ...client }),
    ];
    for (const view of views) expect(view).not.toMatch(/ZZZ|YYY/);
    expect(JSON.parse(JSON.stringify(client))).toEqual({
      type: 'PostHogConversationsClient',
      host: 'https://us.i.posthog.com',
      configured: ['publicToken', 'secretApiToken', 'personalApiKey', 'projectId'],
    });
  });

  it('no API error carries a key: not in its message, path, body, inspect or JSON', async () => {
    env.emulator.state.teams[0]!.secretApiToken = SECRET;
    const errors = [
      await rejection(env.client({ secretApiToken: 'phs_ZZZ_wrong' }).external.getTicket(session())),
      await rejection(env.client({ personalApiKey: 'phx_YYY_wrong' }).tickets.list()),
      await rejection(env.client({ personalApiKey: PERSONAL }).tickets.list()),
    ];
    for (const error of errors) {
      expect(error.status).toBe(401);
      expect([String(error), error.stack, inspect(error, { depth: Infinity }), JSON.stringify(error)].join('\n')).not.toMatch(/ZZZ|YYY/);
    }
  });

  it('never puts a secret in a URL', async () => {
    await env.client().external.getTicket(env.emulator.addTicket().id);
    await env.client().tickets.list();
    expect(env.emulator.requests.map((r) => r.path).join(' ')).not.toMatch(/ph[sx]_/);
  });
});
