import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import type { Invoice, Moved } from '../../../invoices/service.ts';
import { canRetry } from '../../../invoices/lifecycle.ts';
import { QboError } from '../../../qbo/errors.ts';
import { qboFaultWords } from '../../copy/reasons.ts';
import { lostMessage, qboName } from '../../views/invoice-common.ts';
import { messageModal } from '../../views/invoice-review.ts';
import { paidDm } from '../../views/invoice-dm.ts';
import { dm, invoiceInfo, recipients, refreshCard } from '../../notify.ts';
import { reviewViewFor } from '../views/invoices.ts';
import { openCreditsModal } from '../views/credits.ts';
import { vendorCoding } from '../../coding-info.ts';
import { type ActionHandler, type Ctx, ctxOf, invoiceOf, refreshHomeIfThere, tell } from './invoice-context.ts';

/** Buttons on the thread card, the DMs and App Home. Each acks first; modals open straight away (the trigger lives 3 s). */

/** A payment was recorded: the card, a note in the file's thread, and a DM to the others who handled the invoice. */
export async function announcePaid(deps: SlackDeps, client: WebClient, userId: string, paid: Invoice): Promise<void> {
  const msg = paidDm(await invoiceInfo(deps, paid), userId);
  await refreshCard(deps, paid.id);
  if (paid.source === 'channel' && paid.channelId) {
    await client.chat
      .postMessage({
        channel: paid.channelId,
        thread_ts: paid.messageTs ?? paid.cardTs ?? undefined,
        text: msg.text,
        blocks: msg.blocks,
      })
      .catch((err) => deps.log.warn('paid thread note failed', { error: err }));
  }
  await dm(
    deps,
    paid.teamId,
    recipients(paid).filter((u) => u !== userId),
    msg,
  );
}

/** Retry after a failure (or a block): the same path as a submit, so preconditions and duplicates are checked again. */
export function retryInvoice(deps: SlackDeps, inv: Invoice, userId: string): Promise<Moved> {
  return deps.engine.sync.submit(inv.id, userId);
}

/** Open in QuickBooks is a URL button: the browser does the work; the click still has to be acknowledged. */
export const openInQbo: ActionHandler = async ({ ack }) => {
  await ack();
};

export function review(deps: SlackDeps): ActionHandler {
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    const inv = await invoiceOf(deps, c);
    const view = inv ? await reviewViewFor(deps, inv, await vendorCoding(deps, inv)) : messageModal('Invoice', 'This invoice no longer exists.');
    await client.views.open({ trigger_id: body.trigger_id, view });
  };
}

export function retry(deps: SlackDeps): ActionHandler {
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    const inv = await invoiceOf(deps, c);
    if (!inv) return;
    if (!canRetry(inv)) {
      await tell(
        deps,
        c,
        inv.status === 'synced' ? `Already in QuickBooks as ${qboName(inv)}.` : `Nothing to retry: this invoice is ${inv.status.replace('_', ' ')}.`,
      );
      return;
    }
    const moved = await retryInvoice(deps, inv, c.userId);
    if (!moved.applied) return void (await tell(deps, c, lostMessage(moved.invoice)));
    const after = moved.invoice;
    if (after.status === 'ready')
      await tell(
        deps,
        c,
        after.reason?.code === 'autosync_off'
          ? 'Saved as ready: Auto-sync is off, so it waits for an admin.'
          : ':repeat: Sending it to QuickBooks again… you’ll get a message with the result.',
      );
    await refreshHomeIfThere(deps, c);
  };
}

/**
 * Syncing or booking a possible duplicate anyway: only an admin (checked here, on the server), and only while it is
 * still a duplicate. Tells the person why not and returns false otherwise.
 */
async function mayOverrideDuplicate(deps: SlackDeps, c: Ctx, inv: Invoice, refusal: string): Promise<boolean> {
  if (!(await deps.admins.isAdmin(c.client, c.teamId, c.userId))) {
    await tell(deps, c, refusal);
    return false;
  }
  if (inv.status !== 'duplicate') {
    await tell(deps, c, `This invoice is ${inv.status.replace('_', ' ')}, not a duplicate any more.`);
    return false;
  }
  return true;
}

/** The clicked invoice with the duplicate override allowed, when the clicker may override it; else null (told why). */
async function overrideDuplicate(deps: SlackDeps, c: Ctx, refusal: string): Promise<Invoice | null> {
  const inv = await invoiceOf(deps, c);
  if (!inv || !(await mayOverrideDuplicate(deps, c, inv, refusal))) return null;
  return deps.engine.invoices.patch(inv.id, { allowDuplicate: true });
}

export function syncAnyway(deps: SlackDeps): ActionHandler {
  const { engine } = deps;
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    const inv = await overrideDuplicate(deps, c, 'Only a QuickBooks admin can sync a possible duplicate anyway. Ask one of your admins.');
    if (!inv) return;
    const moved = await engine.sync.submit(inv.id, c.userId);
    if (!moved.applied) await tell(deps, c, lostMessage(moved.invoice));
    await refreshHomeIfThere(deps, c);
  };
}

// A file already in QuickBooks: only an admin may book it again (checked here, not by hiding the button). The
// review opens so the fields are looked at before a second transaction is made.
export function bookAgain(deps: SlackDeps): ActionHandler {
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    const refusal = 'This file is already in QuickBooks. Only a QuickBooks admin can book it again. Ask one of your admins.';
    const allowed = await overrideDuplicate(deps, c, refusal);
    if (!allowed) return;
    await client.views.open({ trigger_id: body.trigger_id, view: await reviewViewFor(deps, allowed) });
  };
}

// Auto-sync off: an admin sends one ready invoice now. Preconditions are checked again (a blocker blocks it, as a
// submit would); otherwise it goes to the sync queue.
export function syncNow(deps: SlackDeps): ActionHandler {
  const { engine } = deps;
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    const inv = await invoiceOf(deps, c);
    if (!inv) return;
    if (!(await deps.admins.isAdmin(client, c.teamId, c.userId))) {
      await tell(deps, c, 'Only a QuickBooks admin can sync an invoice while Auto-sync is off. Ask one of your admins.');
      return;
    }
    if (inv.status !== 'ready') {
      await tell(
        deps,
        c,
        inv.status === 'synced' ? `Already in QuickBooks as ${qboName(inv)}.` : `This invoice is ${inv.status.replace('_', ' ')}, not ready to sync.`,
      );
      return;
    }
    if (await engine.sync.checkLocalPreconditions(inv)) {
      await engine.sync.submit(inv.id, c.userId); // → blocked, with the reason; the people and the admins are told
    } else {
      await engine.sync.enqueue(inv.id, c.userId, inv.teamId);
      await tell(deps, c, ':arrows_counterclockwise: Sending it to QuickBooks… the uploader gets a message with the result.');
    }
    await refreshHomeIfThere(deps, c);
  };
}

export function markPaid(deps: SlackDeps): ActionHandler {
  const { engine, log } = deps;
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    // Paying is an accounting act: checked here, whatever button (or forged payload) sent the click.
    if (!(await deps.admins.canPay(client, c.teamId, c.userId))) {
      log.warn('mark paid refused: not an admin or payer', { teamId: c.teamId, userId: c.userId });
      return void (await tell(deps, c, 'Only QuickBooks admins and the payers they name in `/qbo settings` can record a payment.'));
    }
    const inv = await invoiceOf(deps, c);
    if (!inv) return;
    if (inv.qboPaymentId) return void (await tell(deps, c, 'This bill is already marked paid.'));
    // The vendor has open credits: offer them first (the payment is then the difference).
    if ((await engine.sync.openCredits(inv.id)).length) return void (await openCreditsModal(deps, client, body.trigger_id, inv));
    let paid: Invoice;
    try {
      paid = await engine.sync.markPaid(inv.id, c.userId);
    } catch (err) {
      const why =
        err instanceof QboError ? `${qboFaultWords(err).reason} ${qboFaultWords(err).fix}` : err instanceof Error ? err.message : String(err);
      log.warn('mark paid failed', { invoiceId: inv.id, error: err });
      await tell(deps, c, `:x: Couldn't mark it paid: ${why}`);
      return;
    }
    await announcePaid(deps, client, c.userId, paid);
    await refreshHomeIfThere(deps, c);
  };
}
