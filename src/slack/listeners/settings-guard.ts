import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../deps.ts';

/** Who sent an interaction, and whether they may touch settings (checked server-side on every payload). */
export interface Actor {
  teamId: string;
  userId: string;
}

/** The ids a payload may carry them under (interactions: team / user objects; commands: team_id / user_id). */
interface ActorFields {
  team?: { id?: string } | null;
  team_id?: string;
  user?: { id?: string; team_id?: string } | string;
  user_id?: string;
}

export function actorOf(body: unknown, context: { teamId?: string } = {}): Actor | null {
  const b = (body ?? {}) as ActorFields;
  const user = typeof b.user === 'object' ? b.user : undefined;
  const teamId = context.teamId ?? b.team?.id ?? user?.team_id ?? b.team_id;
  const userId = user?.id ?? b.user_id;
  return teamId && userId ? { teamId, userId } : null;
}

/** The actor when they are an admin; null (and a log line) otherwise. Call after ack(). */
export async function adminActor(
  deps: SlackDeps,
  client: WebClient,
  body: unknown,
  context: { teamId?: string },
  what: string,
): Promise<Actor | null> {
  const a = actorOf(body, context);
  if (a && (await deps.admins.isAdmin(client, a.teamId, a.userId))) return a;
  deps.log.warn('settings interaction refused: not an admin', { what, teamId: a?.teamId, userId: a?.userId });
  return null;
}
