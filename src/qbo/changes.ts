import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Store } from '../store/index.ts';
import type { QboChangeRow } from '../store/qbo-changes.ts';
import type { Invoices } from '../invoices/service.ts';
import { RetryLater, type Worker } from '../invoices/worker.ts';
import type { Logger } from '../log.ts';
import { ChangeApplier, FOLLOWED, versionOf, type QboObject } from './apply-change.ts';
import type { QboClient } from './client.ts';
import type { QboLists } from './lists.ts';
import type { WebhookEvent } from './webhook-payload.ts';

/**
 * QuickBooks → app. A webhook's events are stored as rows (before Intuit gets its 200), then one queued job per
 * workspace turns all its pending rows into one change-data-capture call for the entities they name, and applies
 * what QBO has now. The same job kind runs periodically (and at start-up) as the safety net for missed webhooks.
 * Both go through ChangeApplier, idempotent per object version.
 */

export const CHANGES_JOB = 'qbo.changes';
export const CDC_JOB = 'qbo.cdc';
/** Intuit keeps 30 days of change data capture. */
export const CDC_LOOKBACK_MS = 30 * 24 * 3600_000;
/** Overlap kept between runs (clock skew, changes committed while a run read): versions make re-reads harmless. */
const OVERLAP_MS = 60_000;
/** QBO answers at most this many objects per CDC call. */
const CDC_MAX = 1000;
/** Rounds one job makes before it yields to other work. */
const MAX_ROUNDS = 20;
/**
 * Objects applied (or version-checked) between two turns of the event loop. The stores answer SQLite synchronously
 * under their promises, so an unbroken loop over a 1,000-object CDC answer is one task of seconds: acks wait behind it.
 */
export const APPLY_CHUNK = 25;

export class QboChanges {
  readonly applier: ChangeApplier;

  constructor(private readonly d: { store: Store; qbo: QboClient; lists: QboLists; invoices: Invoices; worker: Worker; log: Logger }) {
    this.applier = new ChangeApplier(d);
    d.worker.register(CHANGES_JOB, async (p) => this.processPending(String(p.teamId)));
    d.worker.register(CDC_JOB, async (p) => this.runCdc(String(p.teamId)));
  }

  /** The workspaces connected to a QBO company (a disconnected one hears nothing). */
  teamsForRealm(realmId: string): Promise<string[]> {
    return this.d.store.connections.teamsForRealm(realmId);
  }

  /** Stores a webhook's events for the companies the app knows; returns how many rows were stored. */
  async record(events: WebhookEvent[]): Promise<number> {
    const now = Date.now();
    const byTeam = new Map<string, WebhookEvent[]>();
    for (const e of events) for (const teamId of await this.teamsForRealm(e.realmId)) byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), e]);
    const rows: Array<Omit<QboChangeRow, 'id' | 'processedAt'>> = [];
    for (const [teamId, list] of byTeam) {
      for (const e of list) {
        if (await this.isOwnEcho(teamId, e)) continue;
        rows.push({
          teamId,
          realmId: e.realmId,
          entity: e.entity,
          qboId: e.id,
          operation: e.operation,
          lastUpdated: e.lastUpdated ?? null,
          receivedAt: now,
        });
      }
    }
    await this.d.store.qboChanges.add(rows);
    for (const teamId of new Set(rows.map((r) => r.teamId))) {
      await this.d.worker.enqueue(CHANGES_JOB, { teamId }, { teamId, dedupeKey: `${CHANGES_JOB}:${teamId}` });
    }
    return rows.length;
  }

  /**
   * A change QBO reports back about something this app itself just did, or one that concerns nothing the app keeps:
   * a transaction created (the app's own Bill, or one booked by hand), the app's own Mark paid.
   */
  private async isOwnEcho(teamId: string, e: WebhookEvent): Promise<boolean> {
    if (!(FOLLOWED as readonly string[]).includes(e.entity)) return true;
    if ((e.entity === 'Bill' || e.entity === 'Purchase') && e.operation === 'Create') return true;
    if (e.entity === 'BillPayment' && e.operation === 'Create') {
      if ((await this.d.invoices.byPayment(teamId, e.id)).length) return true;
    }
    return e.lastUpdated != null && e.lastUpdated <= (await this.applier.appliedVersion(teamId, e.entity, e.id));
  }

  /**
   * The worker job: pending rows of a workspace → one CDC call → applied. Rows that arrived meanwhile are taken in
   * the next round of the same job (a delivery while it runs finds it under its dedupe key and adds no job).
   */
  async processPending(teamId: string): Promise<void> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const rows = await this.d.store.qboChanges.pending(teamId);
      if (!rows.length) return;
      const todo: QboChangeRow[] = [];
      for (const [i, r] of rows.entries()) {
        if (i > 0 && i % APPLY_CHUNK === 0) await nextTurn();
        if (r.lastUpdated == null || r.lastUpdated > (await this.applier.appliedVersion(teamId, r.entity, r.qboId))) todo.push(r);
      }
      if (todo.length) {
        const entities = new Set(todo.map((r) => r.entity));
        // A bill's payment and the bill come together: a paid bill needs its payment's date and account.
        if (entities.has('Bill') || entities.has('BillPayment')) ['Bill', 'BillPayment'].forEach((e) => entities.add(e));
        const earliest = Math.min(...todo.map((r) => r.lastUpdated ?? r.receivedAt));
        const since = Math.max(earliest - OVERLAP_MS, Date.now() - CDC_LOOKBACK_MS + OVERLAP_MS);
        await this.capture(
          teamId,
          FOLLOWED.filter((e) => entities.has(e)),
          since,
        );
      }
      await this.d.store.tx((s) =>
        s.qboChanges.markProcessed(
          rows.map((r) => r.id),
          Date.now(),
        ),
      );
    }
    throw new RetryLater('QuickBooks changes keep arriving; the rest in a moment', 1000);
  }

  /** One CDC call since `since` for these entities; applied in order. Returns the newest version seen and whether QBO's cap cut it short. */
  private async capture(teamId: string, entities: string[], since: number): Promise<{ newest: number; full: boolean }> {
    const found = await this.d.qbo.cdc(teamId, entities, new Date(since));
    const batch = new Map<string, QboObject>();
    let total = 0;
    let newest = 0;
    for (const [entity, objs] of Object.entries(found)) {
      for (const o of objs as QboObject[]) {
        batch.set(`${entity}:${o.Id}`, o);
        newest = Math.max(newest, versionOf(o));
        total++;
      }
    }
    let applied = 0;
    for (const entity of FOLLOWED) {
      for (const o of (found[entity] ?? []) as QboObject[]) {
        if (applied++ % APPLY_CHUNK === APPLY_CHUNK - 1) await nextTurn();
        await this.applier.apply(teamId, entity, o, batch);
      }
    }
    return { newest, full: total >= CDC_MAX };
  }

  /** The periodic safety net for one workspace: everything changed since the last run (30 days at most). */
  async runCdc(teamId: string): Promise<void> {
    const started = Date.now();
    const cursor = await this.d.store.qboChanges.cursor(teamId);
    const floor = started - CDC_LOOKBACK_MS + OVERLAP_MS;
    let since = cursor?.changedSince ?? started - 24 * 3600_000;
    if (since < floor) {
      // Past Intuit's look-back: the lists are read again in full; transactions older than that are left as they are.
      await this.d.lists.refresh(teamId);
      since = floor;
    }
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const { newest, full } = await this.capture(teamId, [...FOLLOWED], since);
      // A full answer (QBO's cap) reads on from its newest object; otherwise the next run starts from now.
      const next = full && newest > since ? newest : started - OVERLAP_MS;
      await this.d.store.qboChanges.setCursor(teamId, next, started);
      if (!full || next === started - OVERLAP_MS) return;
      since = next;
    }
  }

  /** Queues a CDC run for every connected workspace. */
  async scheduleCdc(): Promise<number> {
    const teams = await this.d.store.connections.connected();
    for (const { teamId } of teams) await this.d.worker.enqueue(CDC_JOB, { teamId }, { teamId, dedupeKey: `${CDC_JOB}:${teamId}` });
    return teams.length;
  }

  /** At start-up and every `intervalMs`; returns the stop function. */
  startPeriodic(intervalMs: number): () => void {
    const run = () => {
      this.scheduleCdc().catch((err) => this.d.log.warn('scheduling change data capture failed', { error: err }));
    };
    run();
    const t = setInterval(run, intervalMs);
    t.unref?.();
    return () => clearInterval(t);
  }
}
