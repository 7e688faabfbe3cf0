import type { ClusterWorld } from './world.ts';
import { cardsOf, type RunState } from './run.ts';

/** bench:cluster's figures, counted from the outside: QBO's books and counters, the database, what Slack shows. */
export interface ClusterFigures {
  instances: number;
  invoices: number;
  transactions: number;
  duplicates: number;
  lost: number;
  stuck: number;
  attachmentsMissing: number;
  maxInFlightPerRealm: number;
  maxPerMinutePerRealm: number;
  throttled429: number;
  refreshesPerExpiry: number;
  duplicateCards: number;
  duplicateDms: number;
  achievedPerMinutePerRealm: number;
}

export async function countFigures(world: ClusterWorld, state: RunState): Promise<{ figures: ClusterFigures; problems: string[] }> {
  const rows = await world.rows();
  const problems: string[] = [];
  let transactions = 0;
  let duplicates = 0;
  let lost = 0;
  let stuck = 0;
  let attachmentsMissing = 0;
  let duplicateCards = 0;
  for (const c of world.companies) {
    const txns = [...world.qbo.entities(c.realmId, 'Bill'), ...world.qbo.entities(c.realmId, 'Purchase')];
    const attached = new Set(
      world.qbo.entities(c.realmId, 'Attachable').flatMap((a) => (a.AttachableRef ?? []).map((r: any) => String(r.EntityRef?.value))),
    );
    for (const s of state.shared.filter((x) => x.company === c)) {
      const mine = txns.filter((x) => x.DocNumber === s.number);
      const stored = rows.filter((r) => r.slack_file_id === s.fileId);
      if (mine.length) transactions++;
      duplicates += Math.max(0, mine.length - 1) + Math.max(0, stored.length - 1);
      const unattached = mine.filter((x) => !attached.has(String(x.Id))).length;
      attachmentsMissing += unattached;
      if (!stored.length && !mine.length) lost++;
      if (stored.some((r) => r.status !== 'synced')) stuck++;
      const cards = cardsOf(world, s).length;
      duplicateCards += Math.max(0, cards - 1);
      if (mine.length !== 1 || stored.length !== 1 || unattached || cards !== 1 || stored[0]?.status !== 'synced') {
        problems.push(
          `${s.number}: ${mine.length} txn, ${stored.length} row(s) [${stored.map((r) => `${r.status}${r.status !== 'synced' && r.status_reason ? `: ${r.status_reason}` : ''}`).join(',')}], ${unattached} unattached, ${cards} card(s)`,
        );
      }
    }
  }
  let duplicateDms = 0;
  for (const c of world.companies) {
    for (const u of c.team.users) {
      const seen = new Map<string, number>();
      for (const m of world.slack.dms(c.team.id, u.id).filter((m) => m.author === c.team.botUserId && !m.edited)) {
        const key = m.text ?? JSON.stringify(m.blocks ?? []);
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      for (const n of seen.values()) duplicateDms += n - 1;
    }
  }
  const per = world.companies.map((c) => world.qbo.realmStats.of(c.realmId));
  const perMinute = 60_000 / world.windowMs;
  const achieved = world.companies.map((c) => {
    const b = world.qbo.realmStats.admittedSpan(c.realmId);
    return b.spanMs > 0 ? (b.requests / b.spanMs) * 60_000 : 0;
  });
  const expiries = per.flatMap((p) => p.refreshesPerEpoch.slice(1));
  return {
    figures: {
      instances: world.instances.length,
      invoices: state.shared.length,
      transactions,
      duplicates,
      lost,
      stuck,
      attachmentsMissing,
      maxInFlightPerRealm: Math.max(...per.map((p) => p.maxInFlight)),
      maxPerMinutePerRealm: Math.max(...per.map((p) => Math.round(p.maxPerWindow * perMinute))),
      throttled429: per.reduce((n, p) => n + p.throttled, 0),
      refreshesPerExpiry: expiries.length ? Math.max(...expiries) : 0,
      duplicateCards,
      duplicateDms,
      achievedPerMinutePerRealm: Math.round(achieved.reduce((a, b) => a + b, 0) / achieved.length),
    },
    problems,
  };
}
