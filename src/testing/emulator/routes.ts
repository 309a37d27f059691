/**
 * The emulator's routes as data: each is `{ method, path, guard, handler }`, where the guard is one
 * of a few named policies checked before the handler, as DRF's authentication, permission and
 * throttle classes run before a view. The router runs the guard, so no handler checks its caller.
 */
import { adminAuth, type ScopedViewSet } from './auth.js';
import { toUuid } from './drf.js';
import { widgetGate, type ThrottleKind } from './gate.js';
import { json, notFound, type Answer, type Context, type Router } from './http.js';
import { originAllowed } from './origin.js';
import type { EmulatorState } from './state.js';
import { hashKey, type Throttles } from './throttle.js';
import type { EmulatorPersonalApiKey, EmulatorTeam, EmulatorTicket } from './types.js';

/** The policies: the widget's public token, the restore flow, a personal API key with a scope, the secret API token. */
export type Guard =
  | { kind: 'widget'; throttle: 'write' | 'poll' }
  | { kind: 'restore'; throttle: Extract<ThrottleKind, 'restore-request' | 'restore-redeem'> }
  | { kind: 'personal-key'; viewset: ScopedViewSet; action: string; load?: 'ticket' }
  | { kind: 'secret-token' };

/** Who the guard let through: the team, and the key or the ticket it loaded. */
export interface Caller {
  team: EmulatorTeam;
  /** With a personal API key. */
  key?: EmulatorPersonalApiKey;
  /** With `load: 'ticket'`: the ticket the path names, by UUID or number. */
  ticket?: EmulatorTicket;
}

/** The caller, or the answer that refuses the request; the state and throttles are the request's. */
export function runGuard(guard: Guard, ctx: Context): Caller | Answer {
  const env = { state: ctx.state, throttles: ctx.throttles };
  switch (guard.kind) {
    case 'widget':
      return widgetGate(ctx, env.state, env.throttles, guard.throttle);
    case 'restore': {
      const caller = widgetGate(ctx, env.state, env.throttles, guard.throttle);
      if (isAnswer(caller)) return caller;
      if (!originAllowed(ctx, caller.team.settings)) return json(403, { error: 'Origin not allowed' });
      if (caller.team.settings.widget_restore_enabled === false) return json(403, { error: 'Restore is not enabled' });
      return caller;
    }
    case 'personal-key': {
      const caller = adminAuth(ctx, env.state, guard.viewset, guard.action);
      if (isAnswer(caller) || guard.load !== 'ticket') return caller;
      const ticket = ticketByRef(env.state, caller.team, ctx.params.id!);
      return ticket ? { ...caller, ticket } : notFound();
    }
    case 'secret-token':
      return secretToken(ctx, env);
  }
}

/** Whether a guard refused (an answer has a status; a caller has a team). */
export const isAnswer = (value: Caller | Answer): value is Answer => 'status' in value;

/** The request context of a guarded route: the guard put the caller it let through on it. */
export type GuardedContext = Context & { readonly caller: Caller };

/**
 * One route: its handler takes the request context only (a guarded one finds its caller there); no
 * guard for the open ones (the browser widget's assets, capture, remote config).
 */
export type RouteSpec =
  | { method: string; path: string; guard: Guard; handler: (ctx: GuardedContext) => Answer | Promise<Answer> }
  | { method: string; path: string; guard: 'none'; handler: (ctx: Context) => Answer | Promise<Answer> };

/** Adds the routes to the router, each handler behind its guard. */
export function registerRoutes(router: Router, routes: readonly RouteSpec[]): void {
  for (const route of routes) {
    if (route.guard === 'none') {
      router.on(route.method, route.path, route.handler);
      continue;
    }
    const { guard, handler } = route;
    router.on(route.method, route.path, (ctx) => {
      const caller = runGuard(guard, ctx);
      return isAnswer(caller) ? caller : handler(Object.assign(ctx, { caller }));
    });
  }
}

/** `safely_get_object`: a UUID, else a ticket number; anything else is a 404. */
function ticketByRef(state: EmulatorState, team: EmulatorTeam, ref: string): EmulatorTicket | undefined {
  const uuid = toUuid(ref);
  return state.tickets.find((t) => t.teamId === team.id && (uuid ? t.id === uuid : /^\d+$/.test(ref) && t.ticket_number === Number(ref)));
}

/**
 * `ExternalTicketView`: its throttles first (DRF runs them before the view), keyed by the hashed
 * Bearer token or else the address, so a wrong token counts too; then
 * `ExternalTicketProjectSecretAPIKeyAuthentication` (a project secret API key of a team with
 * conversations on: GET only, with `support_ticket:read`), then the legacy secret API token
 * (current or backup), which needs `Authorization` to start with `Bearer `.
 */
function secretToken(ctx: Context, env: { state: EmulatorState; throttles: Throttles }): Caller | Answer {
  const header = ctx.header('authorization') ?? '';
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  const ident = token === '' ? ctx.ip : hashKey(token);
  const throttled = env.throttles.check([
    ['external_ticket_burst', ident],
    ['external_ticket_sustained', ident],
  ]);
  if (throttled) return throttled;
  const projectKey = token === '' ? undefined : projectSecretKey(env.state, token);
  if (projectKey) {
    if (ctx.method !== 'GET') return json(403, { error: 'Project secret API keys can only read tickets on this route' });
    if (!projectKey.scopes.some((scope) => scope === '*' || scope === 'support_ticket:read')) {
      return json(403, { error: "API key missing required scope 'support_ticket:read'" });
    }
    return { team: projectKey.team };
  }
  if (!header.startsWith('Bearer ')) return json(401, { error: 'Missing or invalid Authorization header' });
  if (token === '') return json(401, { error: 'Empty API key' });
  const team = env.state.teams.find((t) => t.conversationsEnabled && (t.secretApiToken === token || t.secretApiTokenBackup === token));
  return team ? { team } : json(401, { error: 'Invalid API key' });
}

/** A project secret API key of a team with conversations on (off, PostHog treats the key as unknown). */
function projectSecretKey(state: EmulatorState, token: string): { team: EmulatorTeam; scopes: string[] } | undefined {
  for (const team of state.teams) {
    const key = team.projectSecretApiKeys.find((k) => k.key === token);
    if (key) return team.conversationsEnabled ? { team, scopes: key.scopes } : undefined;
  }
  return undefined;
}
