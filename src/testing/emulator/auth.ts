/**
 * Personal API key authentication of the private (admin) API as `posthog/permissions.py`'s
 * `APIScopePermission` does it: the scope an action needs comes from its viewset's read and write
 * action lists (which replace the defaults), an action in neither list is refused to every
 * personal key, then project scoping, then `*`, then the scopes (write implies read).
 */
import { drfError, type Answer, type Context } from './http.js';
import type { EmulatorState } from './state.js';
import type { EmulatorPersonalApiKey, EmulatorTeam } from './types.js';

/** A viewset's `scope_object` and its `scope_object_read_actions` / `scope_object_write_actions`. */
export interface ScopedViewSet {
  scopeObject: string;
  readActions: readonly string[];
  writeActions: readonly string[];
}

/** `TicketViewSet` (products/conversations/backend/api/tickets.py): no `destroy`, no `bulk_update_status`. */
export const TICKET_VIEWSET: ScopedViewSet = {
  scopeObject: 'ticket',
  readActions: ['list', 'retrieve', 'unread_count', 'messages'],
  writeActions: ['create', 'update', 'partial_update', 'patch', 'compose', 'reply'],
};

/**
 * `ProjectViewSet` with `ScopeBasePermission`'s default lists: `generate_conversations_public_token`,
 * `rotate_secret_token` and `delete_secret_token_backup` are in neither, so no personal key may call them.
 */
export const PROJECT_VIEWSET: ScopedViewSet = {
  scopeObject: 'project',
  readActions: ['list', 'retrieve'],
  writeActions: ['create', 'update', 'partial_update', 'patch', 'destroy'],
};

export interface AdminCaller {
  key: EmulatorPersonalApiKey;
  team: EmulatorTeam;
}

/** `_get_required_scopes`: `<object>:write` for a write action, `<object>:read` for a read one, none otherwise. */
export function requiredScope(viewset: ScopedViewSet, action: string): string | undefined {
  if (viewset.writeActions.includes(action)) return `${viewset.scopeObject}:write`;
  if (viewset.readActions.includes(action)) return `${viewset.scopeObject}:read`;
  return undefined;
}

/** Whether the key's scopes grant `scope`: `*`, the scope itself, or `:write` for a `:read`. A key with no scopes has none. */
function grants(scopes: readonly string[], scope: string): boolean {
  if (scopes.includes('*') || scopes.includes(scope)) return true;
  return scope.endsWith(':read') && scopes.includes(scope.replace(/:read$/, ':write'));
}

const denied = (detail: string): Answer => drfError(403, 'authentication_error', 'permission_denied', detail);

/** `PersonalAPIKeyAuthentication`: the key in `Authorization: Bearer`, or the 401 DRF answers. */
export function authenticateKey(ctx: Context, state: EmulatorState): EmulatorPersonalApiKey | Answer {
  const value = /^Bearer\s+(\S+)$/i.exec(ctx.header('authorization') ?? '')?.[1];
  if (value === undefined)
    return drfError(401, 'authentication_error', 'not_authenticated', 'Authentication credentials were not provided.');
  return (
    personalKey(state, value) ??
    drfError(401, 'authentication_error', 'authentication_failed', 'Personal API key found in request Authorization header is invalid.')
  );
}

/** Authenticates `Authorization: Bearer phx_...` for one action of a viewset of the project in the path. */
export function adminAuth(ctx: Context, state: EmulatorState, viewset: ScopedViewSet, action: string): AdminCaller | Answer {
  const key = authenticateKey(ctx, state);
  if ('status' in key) return key;
  const team = state.team(Number(ctx.params.projectId));
  if (!team) return drfError(404, 'invalid_request', 'not_found', 'Not found.');
  const scope = requiredScope(viewset, action);
  if (scope === undefined) return denied('This action does not support personal API key access');
  // `check_team_and_org_permissions`: an empty scoped_teams list is not a restriction.
  if (key.teamIds !== 'all' && key.teamIds.length > 0 && !key.teamIds.includes(team.id)) {
    return denied(`API key does not have access to the requested project: ID ${team.id}.`);
  }
  if (!grants(key.scopes, scope)) return denied(`API key missing required scope '${scope}'`);
  return { key, team };
}

/** The personal API key with this value, if the emulator knows it. */
export function personalKey(state: EmulatorState, value: string): EmulatorPersonalApiKey | undefined {
  return state.personalApiKeys.find((k) => k.key === value);
}
