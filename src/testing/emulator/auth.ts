/** Personal API key authentication of the private (admin) API, with scopes and project access. */
import { drfError, type Answer, type Context } from './http.js';
import type { EmulatorState } from './state.js';
import type { EmulatorPersonalApiKey, EmulatorTeam } from './types.js';

export interface AdminCaller {
  key: EmulatorPersonalApiKey;
  team: EmulatorTeam;
}

function hasScope(key: EmulatorPersonalApiKey, object: string, level: 'read' | 'write'): boolean {
  return key.scopes.some((scope) => scope === '*' || scope === `${object}:write` || (level === 'read' && scope === `${object}:read`));
}

/** Authenticates `Authorization: Bearer phx_...` for a project, needing `object:level` (write implies read). */
export function adminAuth(ctx: Context, state: EmulatorState, object: string, level: 'read' | 'write'): AdminCaller | Answer {
  const header = ctx.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return drfError(401, 'authentication_error', 'not_authenticated', 'Authentication credentials were not provided.');
  const key = personalKey(state, match[1]!);
  if (!key) return drfError(401, 'authentication_error', 'authentication_failed', 'Personal API key found in request Authorization header is invalid.');
  const team = state.team(Number(ctx.params.projectId));
  if (!team) return drfError(404, 'invalid_request', 'not_found', 'Not found.');
  if (key.teamIds !== 'all' && !key.teamIds.includes(team.id)) {
    return drfError(403, 'authentication_error', 'permission_denied', "You don't have access to the project.");
  }
  if (!hasScope(key, object, level)) {
    return drfError(403, 'authentication_error', 'permission_denied', `API key missing required scope '${object}:${level}'`);
  }
  return { key, team };
}

/** The personal API key with this value, if the emulator knows it. */
export function personalKey(state: EmulatorState, value: string): EmulatorPersonalApiKey | undefined {
  return state.personalApiKeys.find((k) => k.key === value);
}
