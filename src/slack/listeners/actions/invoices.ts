import type { App, BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import type { Invoice, Moved } from '../../../invoices/service.ts';
import { canRetry } from '../../../invoices/lifecycle.ts';
import { QboError } from '../../../qbo/errors.ts';
import { qboFaultWords } from '../../copy/reasons.ts';
import { getProfile, KIND_LABEL, linkProfile, linkTargetFits } from '../../../workspace/profiles.ts';
import { accountFits } from '../../../qbo/accounts.ts';
import { parseLinkValue } from '../../views/link-profiles.ts';
import { ACTION, lostMessage, qboName } from '../../views/invoice-common.ts';
import { messageModal } from '../../views/invoice-review.ts';
import { adminNoticeResolved } from '../../views/invoice-admin.ts';
import { paidDm } from '../../views/invoice-dm.ts';
import { blockedCount, dm, invoiceInfo, noticeKey, recipients, refreshCard } from '../../notify.ts';
import { reviewViewFor } from '../views/invoices.ts';
import { publishHome } from '../../settings-service.ts';
import { openCreditsModal } from '../views/credits.ts';
import { vendorCoding } from '../../coding-info.ts';

/**
 * Buttons on the thread card, the DMs and App Home (Review & sync, Retry, Sync anyway, Mark paid, Open in QuickBooks),
 * and the admins' fix-it pickers. Each acks first; modals open straight away (the trigger lives 3 s).
 */

interface Ctx {
  teamId: string;
  userId: string;
  body: BlockAction;
  client: WebClient;
  value: string | undefined;
}

function ctxOf(body: BlockAction, client: WebClient, context: any): Ctx {
  const action: any = body.actions[0];
  return { teamId: body.team?.id ?? context.teamId, userId: body.user.id, body, client, value: action?.value ?? action?.selected_option?.value };
}

/** A short private note to the person who clicked, wherever the button was. */
async function tell(deps: SlackDeps, c: Ctx, text: string) {
  try {
    const channel = c.body.container?.channel_id ?? c.body.channel?.id;
    if (channel) await c.client.chat.postEphemeral({ channel, user: c.userId, text, ...(c.body.container?.thread_ts ? { thread_ts: c.body.container.thread_ts } : {}) });
    else await c.client.chat.postMessage({ channel: c.userId, text });
  } catch (err) {
    deps.log.warn('could not tell the user', { error: err });
  }
}

async function refreshHomeIfThere(deps: SlackDeps, c: Ctx) {
  if ((c.body as any).view?.type !== 'home') return;
  await publishHome(deps, c.client, c.teamId, c.userId).catch((err) => deps.log.warn('home refresh failed', { error: err }));
}

async function invoiceOf(deps: SlackDeps, c: Ctx): Promise<Invoice | null> {
  const id = Number(c.value);
  return Number.isInteger(id) ? deps.engine.invoices.get(c.teamId, id) : null;
}

/** A payment was recorded: the card, a note in the file's thread, and a DM to the others who handled the invoice. */
export async function announcePaid(deps: SlackDeps, client: WebClient, userId: string, paid: Invoice): Promise<void> {
  const msg = paidDm(await invoiceInfo(deps, paid), userId);
  await refreshCard(deps, paid.id);
  if (paid.source === 'channel' && paid.channelId) {
    await client.chat
      .postMessage({ channel: paid.channelId, thread_ts: paid.messageTs ?? paid.cardTs ?? undefined, text: msg.text, blocks: msg.blocks })
      .catch((err) => deps.log.warn('paid thread note failed', { error: err }));
  }
  await dm(deps, paid.teamId, recipients(paid).filter((u) => u !== userId), msg);
}

/** Retry after a failure (or a block): the same path as a submit, so preconditions and duplicates are checked again. */
export function retryInvoice(deps: SlackDeps, inv: Invoice, userId: string): Promise<Moved> {
  return deps.engine.sync.submit(inv.id, userId);
}


export function register(app: App, deps: SlackDeps) {
  const { engine, log } = deps;

  app.action(ACTION.open, async ({ ack }) => {
    await ack();
  });

  app.action(ACTION.review, async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body as BlockAction, client, context);
    const inv = await invoiceOf(deps, c);
    const view = inv ? await reviewViewFor(deps, inv, await vendorCoding(deps, inv)) : messageModal('Invoice', 'This invoice no longer exists.');
    await client.views.open({ trigger_id: (body as BlockAction).trigger_id, view });
  });

  app.action(ACTION.retry, async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body as BlockAction, client, context);
    const inv = await invoiceOf(deps, c);
    if (!inv) return;
    if (!canRetry(inv)) {
      await tell(deps, c, inv.status === 'synced' ? `Already in QuickBooks as ${qboName(inv)}.` : `Nothing to retry: this invoice is ${inv.status.replace('_', ' ')}.`);
      return;
    }
    const moved = await retryInvoice(deps, inv, c.userId);
    if (!moved.applied) return void (await tell(deps, c, lostMessage(moved.invoice)));
    const after = moved.invoice;
    if (after.status === 'ready') await tell(deps, c, after.reason?.code === 'autosync_off' ? 'Saved as ready: Auto-sync is off, so it waits for an admin.' : ':repeat: Sending it to QuickBooks again… you’ll get a message with the result.');
    await refreshHomeIfThere(deps, c);
  });

  app.action(ACTION.syncAnyway, async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body as BlockAction, client, context);
    const inv = await invoiceOf(deps, c);
    if (!inv) return;
    if (!(await deps.admins.isAdmin(client, c.teamId, c.userId))) {
      await tell(deps, c, 'Only a QuickBooks admin can sync a possible duplicate anyway. Ask one of your admins.');
      return;
    }
    if (inv.status !== 'duplicate') {
      await tell(deps, c, `This invoice is ${inv.status.replace('_', ' ')}, not a duplicate any more.`);
      return;
    }
    await engine.invoices.patch(inv.id, { allowDuplicate: true });
    const moved = await engine.sync.submit(inv.id, c.userId);
    if (!moved.applied) await tell(deps, c, lostMessage(moved.invoice));
    await refreshHomeIfThere(deps, c);
  });

  // A file already in QuickBooks: only an admin may book it again (checked here, not by hiding the button). The
  // review opens so the fields are looked at before a second transaction is made.
  app.action(ACTION.bookAgain, async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body as BlockAction, client, context);
    const inv = await invoiceOf(deps, c);
    if (!inv) return;
    if (!(await deps.admins.isAdmin(client, c.teamId, c.userId))) {
      await tell(deps, c, 'This file is already in QuickBooks. Only a QuickBooks admin can book it again. Ask one of your admins.');
      return;
    }
    if (inv.status !== 'duplicate') {
      await tell(deps, c, `This invoice is ${inv.status.replace('_', ' ')}, not a duplicate any more.`);
      return;
    }
    const allowed = await engine.invoices.patch(inv.id, { allowDuplicate: true });
    await client.views.open({ trigger_id: (body as BlockAction).trigger_id, view: await reviewViewFor(deps, allowed) });
  });

  // Auto-sync off: an admin sends one ready invoice now. Preconditions are checked again (a blocker blocks it, as a
  // submit would); otherwise it goes to the sync queue.
  app.action(ACTION.syncNow, async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body as BlockAction, client, context);
    const inv = await invoiceOf(deps, c);
    if (!inv) return;
    if (!(await deps.admins.isAdmin(client, c.teamId, c.userId))) {
      await tell(deps, c, 'Only a QuickBooks admin can sync an invoice while Auto-sync is off. Ask one of your admins.');
      return;
    }
    if (inv.status !== 'ready') {
      await tell(deps, c, inv.status === 'synced' ? `Already in QuickBooks as ${qboName(inv)}.` : `This invoice is ${inv.status.replace('_', ' ')}, not ready to sync.`);
      return;
    }
    if (await engine.sync.checkLocalPreconditions(inv)) {
      await engine.sync.submit(inv.id, c.userId); // → blocked, with the reason; the people and the admins are told
    } else {
      await engine.sync.enqueue(inv.id, c.userId, inv.teamId);
      await tell(deps, c, ':arrows_counterclockwise: Sending it to QuickBooks… the uploader gets a message with the result.');
    }
    await refreshHomeIfThere(deps, c);
  });

  app.action(ACTION.markPaid, async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body as BlockAction, client, context);
    // Paying is an accounting act: checked here, whatever button (or forged payload) sent the click.
    if (!(await deps.admins.canPay(client, c.teamId, c.userId))) {
      log.warn('mark paid refused: not an admin or payer', { teamId: c.teamId, userId: c.userId });
      return void (await tell(deps, c, 'Only QuickBooks admins and the payers they name in `/qbo settings` can record a payment.'));
    }
    const inv = await invoiceOf(deps, c);
    if (!inv) return;
    if (inv.qboPaymentId) return void (await tell(deps, c, 'This bill is already marked paid.'));
    // The vendor has open credits: offer them first (the payment is then the difference).
    if ((await engine.sync.openCredits(inv.id)).length) return void (await openCreditsModal(deps, client, (body as BlockAction).trigger_id, inv));
    let paid: Invoice;
    try {
      paid = await engine.sync.markPaid(inv.id, c.userId);
    } catch (err) {
      const why = err instanceof QboError ? `${qboFaultWords(err).reason} ${qboFaultWords(err).fix}` : err instanceof Error ? err.message : String(err);
      log.warn('mark paid failed', { invoiceId: inv.id, error: err });
      await tell(deps, c, `:x: Couldn't mark it paid: ${why}`);
      return;
    }
    await announcePaid(deps, client, c.userId, paid);
    await refreshHomeIfThere(deps, c);
  });

  // ---- the admins' fix-it DM ----

  const fixed = async (c: Ctx, cause: string, reason: string, done: string, resumedCount: number) => {
    await deps.engine.store.notices.resolve(c.teamId, noticeKey(cause));
    const msg = adminNoticeResolved({ reason, done, by: c.userId, resent: resumedCount, stillWaiting: await blockedCount(deps, c.teamId, cause) });
    const channel = c.body.container?.channel_id ?? c.body.channel?.id;
    const ts = c.body.container?.message_ts ?? c.body.message?.ts;
    if (channel && ts) await c.client.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks }).catch((err) => log.warn('admin notice update failed', { error: err }));
  };

  const requireAdmin = async (c: Ctx) => {
    if (await deps.admins.isAdmin(c.client, c.teamId, c.userId)) return true;
    await tell(deps, c, 'Only QuickBooks admins can do this.');
    return false;
  };

  app.action(ACTION.fixLink, async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body as BlockAction, client, context);
    if (!(await requireAdmin(c))) return;
    const action: any = (body as BlockAction).actions[0];
    const profileId = Number(String(action.block_id ?? '').split(':')[1]);
    const p = Number.isInteger(profileId) ? getProfile(engine.db, c.teamId, profileId) : null;
    const chosen = parseLinkValue(String(c.value ?? ''));
    if (!p || !chosen || chosen === 'unlink') return void (await tell(deps, c, 'That choice is no longer valid; open `/qbo settings` to link it.'));
    const { entity, id } = chosen;
    const target = engine.lists.get(c.teamId, entity, id);
    // The same rule as the settings picker: a forged or stale value is refused, not linked.
    if (!target || !linkTargetFits(p.kind, entity, target)) {
      return void (await tell(deps, c, `That QuickBooks entry can't be used for the ${KIND_LABEL[p.kind]} “${p.name}”. Pick another, or open \`/qbo settings\`.`));
    }
    try {
      linkProfile(engine.db, c.teamId, p.id, { entity, id, name: target.fullName }, c.userId);
    } catch (err) {
      return void (await tell(deps, c, `:x: ${err instanceof Error ? err.message : err}`));
    }
    const cause = `unlinked:${p.kind}:${p.id}`;
    const resumed = await engine.sync.resumeBlocked(c.teamId, c.userId, [cause]);
    await fixed(c, cause, `The ${KIND_LABEL[p.kind]} “${p.name}” is not linked to QuickBooks`, `linked “${p.name}” to ${target?.fullName ?? id}`, resumed.length);
  });

  app.action(ACTION.fixAccount, async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body as BlockAction, client, context);
    if (!(await requireAdmin(c))) return;
    const a = c.value ? engine.lists.get(c.teamId, 'Account', c.value) : null;
    if (!a || !accountFits(a, 'purchase')) return void (await tell(deps, c, 'Choose an active Bank or Credit Card account.'));
    await engine.store.workspaces.updateSettings(c.teamId, { defaultPurchaseAccountId: a.id }, c.userId);
    const resumed = await engine.sync.resumeBlocked(c.teamId, c.userId, ['no_purchase_account']);
    await fixed(c, 'no_purchase_account', 'No purchase account is chosen', `set the default purchase account to ${a.fullName}`, resumed.length);
  });

  app.action(ACTION.fixExpense, async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body as BlockAction, client, context);
    if (!(await requireAdmin(c))) return;
    const a = c.value ? engine.lists.get(c.teamId, 'Account', c.value) : null;
    if (!a || !accountFits(a, 'expense')) return void (await tell(deps, c, 'Choose an active expense account.'));
    await engine.store.workspaces.updateSettings(c.teamId, { defaultExpenseAccountId: a.id }, c.userId);
    const resumed = await engine.sync.resumeBlocked(c.teamId, c.userId, ['no_expense_account']);
    await fixed(c, 'no_expense_account', 'No cost code and no default expense account', `set the default expense account to ${a.fullName}`, resumed.length);
  });

  app.action(ACTION.resume, async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body as BlockAction, client, context);
    if (!(await requireAdmin(c))) return;
    const cause = String(c.value ?? '');
    const resumed = await engine.sync.resumeBlocked(c.teamId, c.userId, cause ? [cause] : undefined);
    const still = await blockedCount(deps, c.teamId, cause);
    if (!resumed.length && still) {
      await tell(deps, c, `Still blocked: ${still === 1 ? '1 invoice is' : `${still} invoices are`} waiting for the same thing. Fix it first, then press Resend again.`);
      return;
    }
    await fixed(c, cause, 'Invoices were waiting', 'resent the waiting invoices', resumed.length);
  });
}
