import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../deps.ts';

/** Who sent an interaction, and whether they may touch settings (checked server-side on every payload). */
export interface Actor {
  teamId: string;
  userId: string;
}

export function actorOf(body: any, context: { teamId?: string } = {}): Actor | null {
  const teamId = context.teamId ?? body?.team?.id ?? body?.user?.team_id ?? body?.team_id;
  const userId = body?.user?.id ?? body?.user_id;
  return teamId && userId ? { teamId, userId } : null;
}

/** The actor when they are an admin; null (and a log line) otherwise. Call after ack(). */
export async function adminActor(deps: SlackDeps, client: WebClient, body: any, context: { teamId?: string }, what: string): Promise<Actor | null> {
  const a = actorOf(body, context);
  if (a && (await deps.admins.isAdmin(client, a.teamId, a.userId))) return a;
  deps.log.warn('settings interaction refused: not an admin', { what, teamId: a?.teamId, userId: a?.userId });
  return null;
}
