import { isOpen, needsAttention } from '../../invoices/lifecycle.ts';
import type { Invoice } from '../../invoices/service.ts';
import { esc, mrkdwn, plain } from './common.ts';
import { ACTION, amountText, button, isCreditNote, linkButton, qboName, STATUS_EMOJI, STATUS_WORD } from './invoice-common.ts';
import { statusMrkdwn, statusText } from '../copy/reasons.ts';

/**
 * App Home section listing recent invoices with status, failures with Retry (at most `max` rows, ≤ 2 blocks each).
 * With `syncNow` (an admin, Auto-sync off), ready invoices also get a *Sync now* button; with `markPaid` (an admin
 * or a named payer), synced unpaid Bills get *Mark paid*.
 */
export function invoiceHomeBlocks(
  invoices: Invoice[],
  max = 15,
  o: { syncNow?: boolean; markPaid?: boolean; splits?: Map<number, string> } = {},
): any[] {
  const blocks: any[] = [{ type: 'header', block_id: 'invoice_home_header', text: plain('Recent invoices', 150) }];
  if (!invoices.length) {
    blocks.push({
      type: 'context',
      block_id: 'invoice_home_empty',
      elements: [mrkdwn('No invoices yet. Share a PDF in a project channel, or use `/qbo upload`.')],
    });
    return blocks;
  }
  for (const inv of invoices.slice(0, max)) {
    const who = inv.vendorName ? `*${esc(inv.vendorName)}*` : `*${esc(inv.fileName)}*`;
    const bits = [who];
    if (inv.amountCents != null) bits.push(amountText(inv));
    if (inv.invoiceNumber) bits.push(`#${esc(inv.invoiceNumber)}`);
    let line = `${STATUS_EMOJI[inv.status]} ${bits.join(' · ')} — ${inv.status === 'synced' ? `${esc(qboName(inv))}${inv.qboPaymentId ? ', paid' : ''}` : STATUS_WORD[inv.status]}`;
    const split = o.splits?.get(inv.id);
    if (split) line += `\n${esc(split)}`;
    if (needsAttention(inv) && statusText(inv)) line += `\n_${statusMrkdwn(inv, 280)}_`;
    const id = String(inv.id);
    const accessory =
      inv.status === 'failed'
        ? button('Retry', ACTION.retry, id, 'primary')
        : inv.status === 'synced' && inv.qboUrl
          ? linkButton('Open', inv.qboUrl, ACTION.open, id)
          : isOpen(inv)
            ? button('Review', ACTION.review, id)
            : null;
    blocks.push({ type: 'section', block_id: `invoice_home_${inv.id}`, text: mrkdwn(line), ...(accessory ? { accessory } : {}) });
    if (o.syncNow && inv.status === 'ready') {
      blocks.push({ type: 'actions', block_id: `invoice_home_actions_${inv.id}`, elements: [button('Sync now', ACTION.syncNow, id, 'primary')] });
    }
    if (o.markPaid && inv.status === 'synced' && inv.txnType === 'Bill' && !isCreditNote(inv) && !inv.qboPaymentId) {
      blocks.push({ type: 'actions', block_id: `invoice_home_actions_${inv.id}`, elements: [button('Mark paid', ACTION.markPaid, id)] });
    }
  }
  if (invoices.length > max) blocks.push({ type: 'context', elements: [mrkdwn(`…and ${invoices.length - max} more.`)] });
  return blocks;
}
