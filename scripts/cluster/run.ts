import { invoicePdf, nthInvoice } from '../reliability/invoices.ts';
import { sleep, until } from '../reliability/world.ts';
import type { PostedMessage } from '../../emulators/slack/index.ts';
import type { ClusterWorld, Company, Instance } from './world.ts';

/**
 * What bench:cluster does to the cluster: people in three workspaces share invoices; Slack delivers each event to a
 * random live instance (a share's `file_shared` to two of them now and then, as a retry after a slow answer would),
 * retrying on another when one does not answer; each invoice is reviewed and sent (clicks also land anywhere);
 * every company's access tokens expire twice mid-run; one instance is SIGKILLed halfway and started again.
 */

export interface Shared {
  company: Company;
  i: number;
  fileId: string;
  messageTs: string;
  number: string;
  submits: number;
  /** What the last review attempt came to (for the problems list when the invoice is not booked). */
  lastReview?: string;
}

export interface RunState {
  run: string;
  shared: Shared[];
  /** Deliveries of one event to a second instance. */
  doubled: number;
  expiries: number;
  kills: number;
}

/** Delivers one event through the "load balancer": a random live instance, then others while it fails. */
async function deliver(
  world: ClusterWorld,
  teamId: string,
  event: Record<string, unknown>,
  eventId: string,
  first?: Instance,
): Promise<Instance | null> {
  let tried: Instance | undefined;
  for (let retry = 0; retry < 4; retry++) {
    const to = retry === 0 && first ? first : world.pick(tried);
    if (!to) return null;
    tried = to;
    try {
      const r = await to.driver.event({ teamId, event, eventId, retryNum: retry || undefined, retryReason: retry ? 'http_error' : undefined });
      if (r.status === 200) return to;
    } catch {
      // the instance died under the delivery: Slack retries (here: at once, on another instance)
    }
    await sleep(100);
  }
  return null;
}

export async function share(world: ClusterWorld, state: RunState, company: Company, rand: () => number): Promise<Shared> {
  const i = state.shared.length;
  const inv = nthInvoice(`${state.run}${company.team.id.slice(-1)}`, i);
  const { team, user, channel } = company;
  const file = world.slack.addFile(team.id, { name: `invoice-${inv.number}.pdf`, mimetype: 'application/pdf', bytes: await invoicePdf(inv), user });
  const message = world.slack.postUserMessage(team.id, { channel, user, text: '', files: [file] });
  const s: Shared = { company, i, fileId: file.id, messageTs: message.ts, number: inv.number, submits: 0 };
  state.shared.push(s);
  const fileShared = { type: 'file_shared', channel_id: channel, file_id: file.id, user_id: user, file: { id: file.id }, event_ts: message.ts };
  const id = `Ev${file.id}`;
  const first = world.pick();
  const deliveries = [deliver(world, team.id, fileShared, id, first)];
  if (rand() < 0.2 && world.live().length > 1) {
    state.doubled++;
    deliveries.push(deliver(world, team.id, fileShared, id, world.pick(first)));
  }
  const msg = {
    type: 'message',
    subtype: 'file_share',
    text: '',
    files: [file],
    upload: false,
    user,
    display_as_bot: false,
    ts: message.ts,
    channel,
    channel_type: 'channel',
    event_ts: message.ts,
  };
  deliveries.push(deliver(world, team.id, msg, `Em${file.id}`));
  await Promise.all(deliveries);
  return s;
}

/** The app's status card in the thread of a shared message. */
export function cardsOf(world: ClusterWorld, s: Shared): PostedMessage[] {
  return world.slack
    .messages(s.company.channel)
    .filter(
      (m) =>
        m.thread_ts === s.messageTs &&
        m.author === s.company.team.botUserId &&
        !m.ephemeral &&
        m.blocks?.some((b: any) => b.block_id === 'invoice_status'),
    );
}

/** "Review & sync" on the card, then Submit with the cost code, each click through a random instance. */
async function review(world: ClusterWorld, s: Shared): Promise<boolean> {
  const card = cardsOf(world, s)[0];
  if (!card) {
    s.lastReview = 'no card to click';
    return false;
  }
  const { team, user } = s.company;
  try {
    for (const v of world.slack.openModalStack(team.id, user).reverse())
      await world.pick().driver.closeView({ teamId: team.id, userId: user, view: v });
    await world.pick().driver.clickButton({ teamId: team.id, userId: user, where: card, actionId: 'invoice_review' });
    const modal = await until(() => world.slack.openModalStack(team.id, user).find((v) => v.callback_id === 'review_submit'), 5000);
    if (!modal) {
      s.lastReview = 'the review modal did not open';
      return false;
    }
    s.submits++;
    const r = await world.pick().driver.submitView({
      teamId: team.id,
      userId: user,
      view: modal,
      values: { 'Cost code': { value: String(s.company.costCodeId), text: 'Concrete' } },
    });
    s.lastReview = `submitted: ${r.status}${r.errors ? ` ${JSON.stringify(r.errors).slice(0, 120)}` : ''}`;
    return true;
  } catch (err) {
    s.lastReview = `failed: ${String(err).slice(0, 120)}`;
    return false; // the instance died under the click: the person tries again
  }
}

/** Reviews every shared invoice of a company that was read and waits for its review (each person one at a time). */
export async function pump(world: ClusterWorld, state: RunState, company: Company): Promise<void> {
  const byFile = new Map((await world.rows()).map((r) => [r.slack_file_id, r]));
  for (const s of state.shared.filter((x) => x.company === company)) {
    const row = byFile.get(s.fileId);
    if (row && (row.status === 'extracted' || row.status === 'needs_input') && s.submits < 4) await review(world, s);
  }
}

/** Whether every shared invoice is booked with its file attached. */
export async function allBooked(world: ClusterWorld, state: RunState): Promise<boolean> {
  const byFile = new Map((await world.rows()).map((r) => [r.slack_file_id, r]));
  return world.companies.every((c) => {
    const attached = new Set(
      world.qbo.entities(c.realmId, 'Attachable').flatMap((a) => (a.AttachableRef ?? []).map((r: any) => String(r.EntityRef?.value))),
    );
    return state.shared
      .filter((s) => s.company === c)
      .every((s) => {
        const row = byFile.get(s.fileId);
        return row?.status === 'synced' && !!row.qbo_id && attached.has(row.qbo_id);
      });
  });
}
