/** What runs before every widget and restore view: token authentication, then the throttles. */
import { drfError, json, type Answer, type Context } from './http.js';
import type { EmulatorState } from './state.js';
import { hashKey, type Throttles } from './throttle.js';
import type { EmulatorTeam, ThrottleScope } from './types.js';

export type ThrottleKind = 'write' | 'poll' | 'restore-request' | 'restore-redeem';

function userKey(ctx: Context): string {
  const session = ctx.body.widget_session_id ?? ctx.query.get('widget_session_id');
  return typeof session === 'string' && session !== '' ? hashKey(session) : ctx.ip;
}

function throttleChecks(ctx: Context, kind: ThrottleKind, token: string | undefined): Array<[ThrottleScope, string]> {
  const teamKey = token ? hashKey(token) : ctx.ip;
  const write: Array<[ThrottleScope, string]> = [
    ['widget_user_burst', userKey(ctx)],
    ['widget_team', teamKey],
  ];
  if (kind === 'poll')
    return [
      ['widget_user_poll', userKey(ctx)],
      ['widget_team_poll', teamKey],
    ];
  if (kind === 'restore-request') {
    const email = typeof ctx.body.email === 'string' ? hashKey(ctx.body.email.trim().toLowerCase()) : ctx.ip;
    return [['widget_restore_request', email], ...write];
  }
  if (kind === 'restore-redeem') return [['widget_restore_redeem', ctx.ip], ...write];
  return write;
}

/**
 * `WidgetAuthentication` + throttles, in DRF's order: an unknown token fails authentication first
 * (403, nothing counted); a missing header lets the throttles run, then the view answers 403.
 */
export function widgetGate(ctx: Context, state: EmulatorState, throttles: Throttles, kind: ThrottleKind): { team: EmulatorTeam } | Answer {
  const token = ctx.header('x-conversations-token');
  let team: EmulatorTeam | undefined;
  if (token !== undefined && token !== '') {
    team = state.teams.find((t) => t.conversationsEnabled && t.publicToken !== null && t.publicToken === token);
    if (team === undefined)
      return drfError(403, 'authentication_error', 'authentication_failed', 'Invalid token or conversations not enabled');
  }
  return throttles.check(throttleChecks(ctx, kind, token)) ?? (team ? { team } : json(403, { error: 'Authentication required' }));
}
