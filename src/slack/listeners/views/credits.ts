import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import type { Invoice } from '../../../invoices/service.ts';
import { QboError } from '../../../qbo/errors.ts';
import { qboFaultWords } from '../../copy/reasons.ts';
import { amountText, qboName } from '../../views/invoice-common.ts';
import { messageModal } from '../../views/invoice-review.ts';
import { CREDITS_CALLBACK, CREDITS_FIELD, creditsModal } from '../../views/credits.ts';
import { invoiceInfo } from '../../notify.ts';
import { announcePaid } from '../actions/invoices.ts';
import { selectedValues, stateOf } from '../payload.ts';
import { beforeDeadline } from './admin-deadline.ts';
import { PAYER_CHECK_LATE } from '../../copy/settings.ts';

/** *Mark paid* with the vendor's open credits: the modal, and its submission (BillPayment linking Bill and credits). */

export async function openCreditsModal(deps: SlackDeps, client: WebClient, triggerId: string, inv: Invoice): Promise<void> {
  const credits = await deps.engine.sync.openCredits(inv.id);
  const info = await invoiceInfo(deps, inv);
  await client.views.open({
    trigger_id: triggerId,
    view: creditsModal({
      invoiceId: inv.id,
      billName: qboName(inv),
      vendorName: inv.vendorName,
      billCents: inv.amountCents ?? 0,
      currency: inv.currency && /^[A-Z]{3}$/.test(inv.currency) ? inv.currency : 'USD',
      accountName: info.accountName ?? null,
      credits,
    }),
  });
}

function invoiceIdOf(metadata: string | undefined): number | null {
  try {
    const id = Number(JSON.parse(metadata || '{}').i);
    return Number.isInteger(id) ? id : null;
  } catch {
    return null;
  }
}

export function register(app: App, deps: SlackDeps) {
  const { engine, log } = deps;
  app.view(CREDITS_CALLBACK, async ({ ack, body, view, client }) => {
    const teamId = body.team?.id ?? view.team_id;
    const userId = body.user.id;
    // Paying is an accounting act: checked again here, whatever opened the modal.
    const canPay = await beforeDeadline(deps, CREDITS_CALLBACK, { teamId, userId }, deps.admins.canPay(client, teamId, userId));
    if (canPay === 'late') return void (await ack({ response_action: 'errors', errors: { [CREDITS_FIELD]: PAYER_CHECK_LATE } }));
    if (!canPay) {
      return void (await ack({
        response_action: 'update',
        view: messageModal('Mark paid', 'Only QuickBooks admins and the payers they name in `/qbo settings` can record a payment.'),
      }));
    }
    const id = invoiceIdOf(view.private_metadata);
    const inv = id != null ? await engine.invoices.get(teamId, id) : null;
    if (!inv) return void (await ack({ response_action: 'update', view: messageModal('Mark paid', 'This invoice no longer exists.') }));
    const chosen = new Set<string>(selectedValues(stateOf(view), CREDITS_FIELD));
    // Only credits still open now (not applied by someone else meanwhile).
    const credits = (await engine.sync.openCredits(inv.id)).filter((c) => chosen.has(c.vendorCreditId));
    // QuickBooks may take longer than Slack's 3 s: ack at once, then say how it went in the same modal.
    await ack({ response_action: 'update', view: messageModal('Mark paid', ':hourglass_flowing_sand: Recording the payment in QuickBooks…') });
    const show = (text: string) =>
      client.views
        .update({ view_id: view.id, view: messageModal('Mark paid', text) })
        .catch((e) => log.warn('mark paid modal not updated', { error: e }));
    try {
      const paid = await engine.sync.markPaid(inv.id, userId, undefined, credits);
      const applied = credits.reduce((s, c) => s + c.amountCents, 0);
      const how = applied
        ? `: ${credits.length === 1 ? 'a vendor credit' : `${credits.length} vendor credits`} applied, ${amountText({ ...paid, amountCents: (paid.amountCents ?? 0) - applied })} paid`
        : '';
      await show(`:moneybag: *${qboName(paid)}* is marked paid${how}.`);
      await announcePaid(deps, client, userId, paid);
    } catch (err) {
      const why =
        err instanceof QboError ? `${qboFaultWords(err).reason} ${qboFaultWords(err).fix}` : err instanceof Error ? err.message : String(err);
      log.warn('mark paid with credits failed', { invoiceId: inv.id, error: err });
      await show(`:x: Couldn't mark it paid: ${why}`);
    }
  });
}
