import type { RequestPhase } from '../../emulators/qbo/index.ts';
import { invoicePdf, nthInvoice } from './invoices.ts';
import type { SubmitValue } from '../../emulators/slack/index.ts';
import { CHANNEL, TEAM, USER, sleep, until, type World } from './world.ts';

/**
 * Crash trials: SIGKILL the app at moments spread over an invoice's life — during the download, while it is read,
 * as the review is submitted, while QBO creates the transaction, between QBO's answer and the database write, and
 * during the attachment upload — and start it again on the same database each time. Each trial shares a new
 * invoice; a pump submits every invoice waiting for review, as its uploader would after a restart.
 */

export const MOMENTS = ['download', 'reading', 'submission', 'create', 'after-answer', 'attachment'] as const;
export type Moment = (typeof MOMENTS)[number];

export interface Tracked {
  i: number;
  fileId: string;
  messageTs: string;
  number: string;
  submits: number;
}

export interface TrialsState {
  run: string;
  next: number;
  tracked: Tracked[];
  /** Kills by the moment they hit; 'idle' when the awaited QBO call did not come in time (killed anyway). */
  kills: Record<Moment | 'idle', number>;
  expiries: number;
}

export function newState(run: string): TrialsState {
  return {
    run,
    next: 0,
    tracked: [],
    kills: Object.fromEntries([...MOMENTS, 'idle'].map((m) => [m, 0])) as Record<Moment | 'idle', number>,
    expiries: 0,
  };
}

/** A person shares a new invoice in the channel (the app must be up to take Slack's events). */
export async function shareNew(world: World, state: TrialsState): Promise<Tracked> {
  const i = state.next++;
  const inv = nthInvoice(state.run, i);
  const file = world.slack.addFile(TEAM.id, {
    name: `invoice-${inv.number}.pdf`,
    mimetype: 'application/pdf',
    bytes: await invoicePdf(inv),
    user: USER,
  });
  const shared = await world.driver.shareFile({ teamId: TEAM.id, userId: USER, channelId: CHANNEL, file });
  const t: Tracked = { i, fileId: file.id, messageTs: shared.message.ts, number: inv.number, submits: 0 };
  state.tracked.push(t);
  return t;
}

/** What the uploader types when nothing could be read (the file was set aside): the invoice's own fields. */
function typedFields(world: World, state: TrialsState, t: Tracked): Record<string, SubmitValue> {
  const inv = nthInvoice(state.run, t.i);
  const vendor = world.qbo.entities(world.realmId, 'Vendor').find((v) => v.DisplayName === inv.vendor);
  return {
    Vendor: { value: String(vendor?.Id), text: inv.vendor },
    Amount: inv.amount.toFixed(2),
    'Invoice number': inv.number,
    'Invoice date': inv.date,
    'Due date': inv.due,
  };
}

/** "Review & sync" on the card, then Submit with the cost code: what the uploader does. False when it could not. */
export async function submit(world: World, t: Tracked, typed: Record<string, SubmitValue> = {}): Promise<boolean> {
  const card = world.card(t.messageTs);
  if (!card) return false;
  try {
    for (const v of world.slack.openModalStack(TEAM.id, USER).reverse()) await world.driver.closeView({ teamId: TEAM.id, userId: USER, view: v });
    await world.driver.clickButton({ teamId: TEAM.id, userId: USER, where: card, actionId: 'invoice_review' });
    const modal = await until(() => world.slack.openModalStack(TEAM.id, USER).find((v) => v.callback_id === 'review_submit'), 5000);
    if (!modal) return false;
    t.submits++;
    await world.driver.submitView({
      teamId: TEAM.id,
      userId: USER,
      view: modal,
      values: { 'Cost code': { value: String(world.costCodeId), text: 'Concrete' }, ...typed },
    });
    return true;
  } catch {
    return false; // the app died under the click, or Slack's client refused: the person tries again later
  }
}

/** The card is up and the file is read: "Review & sync" opens the review (a "Reading…" card comes first). */
export function readyForReview(world: World, t: Tracked): boolean {
  const row = world.rows().find((r) => r.slack_file_id === t.fileId);
  return !!row && (row.status === 'extracted' || row.status === 'needs_input') && !!world.card(t.messageTs);
}

/** Submits every tracked invoice that waits for its review (read, not yet sent), a few times at most each. */
export async function pump(world: World, state: TrialsState): Promise<void> {
  const byFile = new Map(world.rows().map((r) => [r.slack_file_id, r]));
  for (const t of state.tracked) {
    const row = byFile.get(t.fileId);
    if (row && (row.status === 'extracted' || row.status === 'needs_input') && t.submits < 4) {
      await submit(world, t, row.status === 'needs_input' ? typedFields(world, state, t) : {});
    }
  }
}

const isCreate = (r: RequestPhase) => r.method === 'POST' && /\/(bill|purchase)$/i.test(r.path);
const isUpload = (r: RequestPhase) => r.method === 'POST' && /\/upload$/i.test(r.path);

/** Kills the app the moment the QBO emulator sees a matching request (synchronously, from its hook). */
export function killOnQbo(world: World, match: (r: RequestPhase) => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    world.qbo.onRequest = (r) => {
      if (!match(r)) return;
      world.qbo.onRequest = null;
      world.app?.child.kill('SIGKILL');
      resolve(true);
    };
  });
}

async function killAt(world: World, state: TrialsState, moment: Moment, rand: () => number, hookWaitMs: number): Promise<Moment | 'idle'> {
  const downloads = world.slack.downloadsStarted();
  if (moment === 'download') world.slack.setDownloadMode('stall');
  const qboMatch =
    moment === 'create'
      ? (r: RequestPhase) => isCreate(r) && r.phase === 'received'
      : moment === 'after-answer'
        ? (r: RequestPhase) => isCreate(r) && r.phase === 'answered'
        : moment === 'attachment'
          ? (r: RequestPhase) => isUpload(r) && r.phase === 'received'
          : null;
  const t = await shareNew(world, state);
  // Armed once Slack's events were acked (a kill before that is Slack's to retry, not the app's to lose).
  const armed = qboMatch ? killOnQbo(world, qboMatch) : null;
  if (moment === 'download' || moment === 'reading') {
    await until(() => world.slack.downloadsStarted() > downloads, 15_000, 5);
    if (moment === 'reading') await sleep(Math.floor(rand() * 400));
  } else if (moment === 'submission') {
    await until(() => readyForReview(world, t), 60_000);
    void submit(world, t);
    await sleep(Math.floor(rand() * 60));
  } else {
    await until(() => readyForReview(world, t), 60_000);
    await submit(world, t);
    const fired = await Promise.race([armed, sleep(hookWaitMs).then(() => false)]);
    if (!fired) {
      world.qbo.onRequest = null;
      await world.kill();
      return 'idle';
    }
  }
  world.qbo.onRequest = null;
  await world.kill();
  world.slack.setDownloadMode('normal');
  return moment;
}

/** Runs `trials` kills (moments in turn), restarting after each; every sixth trial the access tokens expire first. */
export async function runCrashTrials(
  world: World,
  state: TrialsState,
  o: { trials: number; rand: () => number; log: (s: string) => void; hookWaitMs?: number },
): Promise<void> {
  if (!world.app) await world.start();
  for (let k = 0; k < o.trials; k++) {
    const moment = MOMENTS[k % MOMENTS.length];
    await pump(world, state);
    if (k % 6 === 5) {
      world.qbo.expireAccessTokens();
      state.expiries++;
    }
    const hit = await killAt(world, state, moment, o.rand, o.hookWaitMs ?? 30_000);
    state.kills[hit]++;
    o.log(`trial ${k + 1}/${o.trials}: killed during ${hit}${hit === 'idle' ? ` (no ${moment} call came in time)` : ''}`);
    await world.start();
  }
}

/** Pumps until every tracked invoice is synced (with its attachment) or the time is up. */
export async function settle(world: World, state: TrialsState, timeoutMs: number, log?: (s: string) => void): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (let round = 0; Date.now() < end; round++) {
    if (log && round % 15 === 0) log(`settling: ${JSON.stringify(world.rows().map((r) => r.status))}`);
    await pump(world, state);
    const byFile = new Map(world.rows().map((r) => [r.slack_file_id, r]));
    const attached = new Set(
      world.qbo
        .entities(world.realmId, 'Attachable')
        .flatMap((a) => (a.AttachableRef ?? []).map((r: { EntityRef?: { value?: string } }) => r.EntityRef?.value)),
    );
    const done = state.tracked.every((t) => {
      const row = byFile.get(t.fileId);
      return row?.status === 'synced' && row.qbo_id && attached.has(row.qbo_id);
    });
    if (done) return;
    await sleep(1000);
  }
}
