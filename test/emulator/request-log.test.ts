// The emulator's request log (`emulator.requests`): each request with its status, and for a widget
// call who sent it (the browser's session, the identity), read from what the route parsed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_DEFAULTS as D, type Emulator, startEmulator } from '../../src/testing/index.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ throttles: false });
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

const widget = (path: string, init: RequestInit = {}) =>
  fetch(`${emulator.url}/api/conversations/v1/widget${path}`, {
    ...init,
    headers: { 'x-conversations-token': D.publicToken, 'content-type': 'application/json', ...init.headers },
  });

describe('emulator.requests', () => {
  it('names the caller of a widget read from its query: the session and the identity, as sent', async () => {
    const session = crypto.randomUUID();
    await widget(`/tickets?widget_session_id=${session}`);
    await widget(`/tickets?identity_distinct_id=user_ada&identity_hash=${'0'.repeat(64)}`);
    expect(emulator.requests.map(({ method, path, status, widget }) => ({ method, path, status, widget }))).toEqual([
      { method: 'GET', path: '/api/conversations/v1/widget/tickets', status: 200, widget: { sessionId: session } },
      { method: 'GET', path: '/api/conversations/v1/widget/tickets', status: 403, widget: { distinctId: 'user_ada' } },
    ]);
  });

  it('reads a widget write from the body the route parsed, and names no caller when the body is not JSON', async () => {
    const session = crypto.randomUUID();
    await widget('/message', { method: 'POST', body: JSON.stringify({ widget_session_id: session, distinct_id: 'v', message: 'Hi' }) });
    await widget('/message', { method: 'POST', body: '{"widget_session_id": ' });
    const [sent, malformed] = emulator.requests;
    expect(sent).toMatchObject({ method: 'POST', status: 200, widget: { sessionId: session } });
    expect(malformed).toMatchObject({ method: 'POST', status: 400, widget: {} });
  });

  it('names the caller of a widget call answered by a fault, before any route ran', async () => {
    emulator.faults.add({ kind: 'status', status: 503, path: '/api/conversations/v1/widget/tickets', times: 1 });
    const session = crypto.randomUUID();
    await widget(`/tickets?widget_session_id=${session}`);
    expect(emulator.requests[0]).toMatchObject({ status: 503, widget: { sessionId: session } });
  });

  it('leaves every other call without a caller', async () => {
    await fetch(`${emulator.url}/array/${D.projectApiKey}/config`);
    expect(emulator.requests[0]).not.toHaveProperty('widget');
  });
});
