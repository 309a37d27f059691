// Reference §7 "Widget: identity verification" (18-33), through the SDK over real HTTP.
import { describe, expect, it } from 'vitest';
import { PermissionError, computeIdentityHash, identityFor, signEmailClaim } from '../../src/index.js';
import { D, identity, rejection, session, useEmulator, widgetHeaders } from './setup.js';

const env = useEmulator();
const team = () => env.emulator.state.teams[0]!;
const TICKETS = '/api/conversations/v1/widget/tickets';

describe('identity verification', () => {
  it('§7.18 a valid identity lists tickets made under another browser session', async () => {
    const { widget } = env.client();
    await widget.sendMessage({ message: 'from laptop', widgetSessionId: session(), distinctId: 'user-123' });
    const page = await widget.listTickets({ identity: identity('user-123') });
    expect(page.count).toBe(1);
  });

  it('§7.19 a signing secret alone verifies; a stale signing secret with a valid token still verifies', async () => {
    const { widget } = env.client();
    Object.assign(team(), { secretApiToken: null, signingSecret: 'phs_signing_only' });
    await expect(widget.listTickets({ identity: identity('u', 'phs_signing_only') })).resolves.toMatchObject({ count: 0 });
    Object.assign(team(), { secretApiToken: D.secretApiToken, signingSecret: 'phs_stale' });
    await expect(widget.listTickets({ identity: identity('u', D.secretApiToken) })).resolves.toMatchObject({ count: 0 });
  });

  it('§7.20 a signing secret equal to a rotated-away key, with the backup deleted, is refused', async () => {
    Object.assign(team(), { secretApiToken: 'phs_new', secretApiTokenBackup: null, signingSecret: 'phs_old' });
    const error = await rejection(env.client().widget.listTickets({ identity: identity('u', 'phs_old') }));
    expect(error).toBeInstanceOf(PermissionError);
  });

  it('§7.21 a hash signed with the old secret verifies while it is the backup', async () => {
    Object.assign(team(), { secretApiToken: 'phs_new', secretApiTokenBackup: 'phs_old' });
    await expect(env.client().widget.listTickets({ identity: identity('u', 'phs_old') })).resolves.toMatchObject({ count: 0 });
  });

  it('§7.22 "0"x64 is 403 and "é"x64 is 400 (the SDK refuses the latter before sending)', async () => {
    const zeros = { identity_distinct_id: 'u', identity_hash: '0'.repeat(64) };
    expect(await rejection(env.client().widget.listTickets({ identity: zeros }))).toMatchObject({
      status: 403,
      body: { error: 'Forbidden' },
    });
    expect(
      (await env.raw('GET', TICKETS, { headers: widgetHeaders, query: { identity_distinct_id: 'u', identity_hash: 'é'.repeat(64) } }))
        .status,
    ).toBe(400);
  });

  it('§7.23 a team with no secret at all answers 403 {"error":"Forbidden"}', async () => {
    Object.assign(team(), { secretApiToken: null, secretApiTokenBackup: null, signingSecret: null });
    const error = await rejection(env.client().widget.listTickets({ identity: identity('u') }));
    expect(error).toMatchObject({ status: 403, body: { error: 'Forbidden' } });
  });

  it('§7.24 a session alone still works', async () => {
    const { widget } = env.client();
    const sid = session();
    await widget.sendMessage({ message: 'x', widgetSessionId: sid, distinctId: 'u' });
    expect((await widget.listTickets({ widgetSessionId: sid })).count).toBe(1);
  });

  it('§7.25 identity mode without a session creates a verified ticket; an anonymous one is not verified', async () => {
    const { widget } = env.client();
    const fields = identity('user-123');
    await widget.sendMessage({ message: 'signed', identity: fields });
    await widget.sendMessage({ message: 'anon', widgetSessionId: session(), distinctId: 'visitor' });
    const [signed, anon] = env.emulator.state.tickets;
    expect(signed).toMatchObject({ distinct_id: 'user-123', identity_verified: true });
    const h = fields.identity_hash;
    expect(signed!.widget_session_id).toBe(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`);
    expect(anon!.identity_verified).toBe(false);
  });

  it('§7.26 a verified message on your own anonymous ticket marks it verified', async () => {
    const { widget } = env.client();
    const sent = await widget.sendMessage({ message: 'anon', widgetSessionId: session(), distinctId: 'user-123' });
    await widget.sendMessage({ message: 'now signed in', identity: identity('user-123'), ticketId: sent.ticket_id });
    expect(env.emulator.state.tickets[0]!.identity_verified).toBe(true);
  });

  it("§7.27 another distinct id's ticket is 403 through POST, messages and read; so is a bad hash", async () => {
    const { widget } = env.client();
    const theirs = await widget.sendMessage({ message: 'x', identity: identity('someone-else') });
    const mine = identity('user-123');
    for (const call of [
      () => widget.sendMessage({ message: 'y', identity: mine, ticketId: theirs.ticket_id }),
      () => widget.getMessages(theirs.ticket_id, { identity: mine }),
      () => widget.markRead(theirs.ticket_id, { identity: mine }),
    ]) {
      expect(await rejection(call())).toBeInstanceOf(PermissionError);
    }
    const forged = { identity_distinct_id: 'someone-else', identity_hash: computeIdentityHash('someone-else', 'phs_wrong') };
    expect(await rejection(widget.getMessages(theirs.ticket_id, { identity: forged }))).toBeInstanceOf(PermissionError);
    expect(await rejection(widget.markRead(theirs.ticket_id, { identity: forged }))).toBeInstanceOf(PermissionError);
  });

  it('§7.28 mark read in identity mode shows unread_count 0 in the next list', async () => {
    const { widget } = env.client();
    const me = identity('user-123');
    const sent = await widget.sendMessage({ message: 'x', identity: me });
    env.emulator.addMessage(env.emulator.state.tickets[0]!, {
      content: 'reply',
      authorType: 'support',
      created_by: { id: 1, first_name: 'A', email: 'a@x.io' },
    });
    expect((await widget.listTickets({ identity: me })).results[0]!.unread_count).toBe(1);
    await widget.markRead(sent.ticket_id, { identity: me });
    expect((await widget.listTickets({ identity: me })).results[0]!.unread_count).toBe(0);
  });

  it('§7.29 the session bridge: pre-sign-in tickets show only with the session, and replies keep them as they were', async () => {
    const { widget } = env.client();
    const sid = session();
    const before = await widget.sendMessage({ message: 'before login', widgetSessionId: sid, distinctId: 'anon_before_sign_in' });
    const me = identity('user-123');
    expect((await widget.listTickets({ identity: me })).count).toBe(0);
    expect((await widget.listTickets({ identity: me, widgetSessionId: sid })).count).toBe(1);
    expect((await widget.listTickets({ identity: me, widgetSessionId: session() })).count).toBe(0);
    await expect(widget.getMessages(before.ticket_id, { identity: me, widgetSessionId: sid })).resolves.toMatchObject({
      ticket_id: before.ticket_id,
    });
    await expect(widget.markRead(before.ticket_id, { identity: me, widgetSessionId: sid })).resolves.toEqual({
      success: true,
      unread_count: 0,
    });
    await widget.sendMessage({ message: 'after login', identity: me, widgetSessionId: sid, ticketId: before.ticket_id });
    expect(env.emulator.state.tickets[0]).toMatchObject({ distinct_id: 'anon_before_sign_in', identity_verified: false });
  });

  describe('email claims', () => {
    const claimed = (distinctId = 'user-123', email = 'person@example.com', secret: string = D.secretApiToken) =>
      identityFor(distinctId, { secret, email });

    it('§7.30 a verified ticket under the email, and an imported one, are reachable', async () => {
      const { widget } = env.client();
      const byEmail = env.emulator.addTicket({ distinct_id: 'Person@Example.com', identity_verified: true });
      env.emulator.addTicket({ distinct_id: 'person@example.com', identity_verified: null, zendesk_ticket_id: 'z-1' });
      const me = claimed();
      expect((await widget.listTickets({ identity: me })).count).toBe(2);
      await expect(widget.getMessages(byEmail.id, { identity: me })).resolves.toMatchObject({ ticket_id: byEmail.id });
      await expect(widget.markRead(byEmail.id, { identity: me })).resolves.toMatchObject({ success: true });
    });

    it('§7.31 unverified widget tickets, bad claims and padded identities are not reachable', async () => {
      const { widget } = env.client();
      const unverified = env.emulator.addTicket({ distinct_id: 'person@example.com', identity_verified: null });
      env.emulator.addTicket({ distinct_id: 'person@example.com', identity_verified: false });
      env.emulator.addTicket({ distinct_id: ' person@example.com', identity_verified: true });
      expect((await widget.listTickets({ identity: claimed() })).count).toBe(0);
      expect(await rejection(widget.getMessages(unverified.id, { identity: claimed() }))).toBeInstanceOf(PermissionError);

      env.emulator.addTicket({ distinct_id: 'person@example.com', identity_verified: true });
      const good = claimed();
      const now = Math.floor(Date.now() / 1000);
      const expired = {
        ...identity('user-123'),
        ...signEmailClaim({
          distinctId: 'user-123',
          email: 'person@example.com',
          secret: D.secretApiToken,
          emailTtlSeconds: 60,
          now: (now - 120) * 1000,
        }),
      };
      const variants = [
        identity('user-123'),
        { ...good, identity_hash_email: good.identity_hash_email!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) },
        expired,
        { ...good, identity_exp_email: good.identity_exp_email! + 1 },
        { ...claimed('someone-else'), ...identity('user-123') },
      ];
      for (const v of variants) expect((await widget.listTickets({ identity: v })).count).toBe(0);
      expect((await widget.listTickets({ identity: good })).count).toBe(1);
      const { identity_exp_email: _, ...missingExp } = good;
      expect((await widget.listTickets({ identity: missingExp })).count).toBe(0); // the legacy pair is ignored
    });

    it('§7.32 claimed and unclaimed lists differ; posting to a bridged ticket keeps it as it was', async () => {
      const { widget } = env.client();
      const bridged = env.emulator.addTicket({ distinct_id: 'person@example.com', identity_verified: true });
      await widget.sendMessage({ message: 'own', identity: identity('user-123') });
      expect((await widget.listTickets({ identity: claimed() })).count).toBe(2);
      expect((await widget.listTickets({ identity: identity('user-123') })).count).toBe(1);
      await widget.sendMessage({ message: 'via email', identity: claimed(), ticketId: bridged.id });
      expect(bridged).toMatchObject({ distinct_id: 'person@example.com', identity_verified: true });
    });

    it('§7.33 an incomplete claim is 400 non_field_errors; the legacy pair passes validation', async () => {
      const { identity_distinct_id, identity_hash } = identity('user-123');
      const base = { identity_distinct_id, identity_hash };
      const incomplete = await env.raw('GET', TICKETS, { headers: widgetHeaders, query: { ...base, identity_email: 'a@b.co' } });
      expect(incomplete.status).toBe(400);
      expect(incomplete.body).toMatchObject({ details: { non_field_errors: [expect.any(String)] } });
      const legacy = await env.raw('GET', TICKETS, {
        headers: widgetHeaders,
        query: { ...base, identity_email: 'a@b.co', identity_hash_email: 'f'.repeat(64) },
      });
      expect(legacy.status).toBe(200);
    });
  });
});
