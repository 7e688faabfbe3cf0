import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from './deps.ts';

/**
 * The workspace's own company names, for the reader to exclude as the buyer (the vendor is the seller, never the
 * company that received the invoice): the Slack team's name — kept with the workspace from the installation, else
 * asked of `auth.test` (no extra scope) once and stored — and the names of the connected QuickBooks company.
 */

/** Teams whose name Slack could not give us lately (an outage): asked again after this long. */
const RETRY_MS = 10 * 60_000;
const failedAt = new Map<string, number>();

export async function slackTeamName(deps: Pick<SlackDeps, 'engine' | 'log'>, client: WebClient, teamId: string): Promise<string | null> {
  const row = await deps.engine.store.workspaces.get(teamId);
  if (row?.name) return row.name;
  const failed = failedAt.get(teamId);
  if (failed && Date.now() - failed < RETRY_MS) return null;
  try {
    const res = await client.auth.test();
    const name = typeof res.team === 'string' && res.team.trim() ? res.team.trim() : null;
    if (name && (!res.team_id || res.team_id === teamId)) {
      await deps.engine.store.workspaces.setName(teamId, name);
      failedAt.delete(teamId);
      return name;
    }
  } catch (err) {
    deps.log.warn('could not learn the Slack team name', { teamId, error: err });
  }
  failedAt.set(teamId, Date.now());
  return null;
}

/** The QBO company's names, from the CompanyInfo read at connect (CompanyName, LegalName) kept with the connection. */
export async function qboCompanyNames(connections: SlackDeps['engine']['connections'], teamId: string): Promise<string[]> {
  const identity = await connections.companyIdentity(teamId);
  const names = [(await connections.get(teamId))?.companyName, identity?.companyName, identity?.legalName];
  return names.filter((n): n is string => typeof n === 'string' && n.trim().length > 0).map((n) => n.trim());
}

export async function ownCompanyNames(deps: Pick<SlackDeps, 'engine' | 'log'>, client: WebClient, teamId: string): Promise<string[]> {
  const team = await slackTeamName(deps, client, teamId);
  const all = [...(team ? [team] : []), ...(await qboCompanyNames(deps.engine.connections, teamId))];
  return [...new Map(all.map((n) => [n.toLowerCase(), n])).values()];
}
