import { BOOKING_STATUSES, REVIEW_STATUSES } from '../../invoices/lifecycle.ts';
import { SA } from './settings.ts';
import { esc, mrkdwn } from './common.ts';
import { checkList, fieldsToCheck, type CheckedField } from '../../invoices/confidence.ts';
import { ACTION, amountText, bookedOriginal, button, isEditable, linkButton, statusLine, typeLabel, type InvoiceInfo } from './invoice-common.ts';
import { statusMrkdwn } from '../copy/reasons.ts';

/**
 * The app's reply in the file's thread: what it read (vendor, number, date, total) or that it couldn't read the file,
 * the current status, and the buttons that move it on. Updated in place at every step.
 */
export function invoiceCard(info: InvoiceInfo): { text: string; blocks: any[] } {
  const { inv } = info;
  const blocks: any[] = [];
  const unreadable = !!inv.extractionError;
  const status = statusLine(info);
  const booked = bookedOriginal(info);
  const bookedLink = booked?.qboUrl ? `  ·  <${booked.qboUrl}|Open in QuickBooks>` : '';
  blocks.push({ type: 'section', block_id: 'invoice_status', text: mrkdwn(`*${status}*${bookedLink}`) });
  const check = REVIEW_STATUSES.includes(inv.status) ? fieldsToCheck(inv) : [];

  if (inv.status === 'received') {
    blocks.push({
      type: 'context',
      block_id: 'invoice_reading',
      elements: [mrkdwn(`:page_facing_up: *${esc(inv.fileName)}* — what I read will appear here in a moment.`)],
    });
  } else if (unreadable && inv.status !== 'synced' && inv.amountCents == null) {
    blocks.push({
      type: 'section',
      block_id: 'invoice_unreadable',
      text: mrkdwn(`:page_facing_up: *${esc(inv.fileName)}* — I couldn't read this file — enter the details with *Review & sync*.`),
    });
  } else {
    blocks.push({
      type: 'section',
      block_id: 'invoice_fields',
      fields: [
        mrkdwn(
          `*Vendor*\n${inv.vendorName ? esc(inv.vendorName) : '—'}${mark(check, 'vendor')}${inv.vendorName && !inv.vendorId ? ' _(not matched in QuickBooks)_' : ''}`,
        ),
        mrkdwn(`*Number*\n${inv.invoiceNumber ? esc(inv.invoiceNumber) : '—'}${mark(check, 'invoiceNumber')}`),
        mrkdwn(`*Date*\n${inv.invoiceDate ?? '—'}${mark(check, 'invoiceDate')}`),
        mrkdwn(`*Total*\n${inv.amountCents != null ? amountText(inv) : '—'}${mark(check, 'total')}`),
      ],
    });
    if (check.length) {
      blocks.push({
        type: 'context',
        block_id: 'invoice_check',
        elements: [mrkdwn(`:warning: Check ${checkList(check)}: I'm not sure I read ${check.length > 1 ? 'them' : 'it'} right.`)],
      });
    }
  }

  const notes: string[] = [];
  if (info.splitSummary) notes.push(esc(info.splitSummary));
  else {
    if (info.projectName) notes.push(`Project: *${esc(info.projectName)}*${info.projectLinked === false ? ' _(not linked)_' : ''}`);
    if (info.costCodeName) notes.push(`Cost code: *${esc(info.costCodeName)}*`);
  }
  if (info.codingNote) notes.push(`_${esc(info.codingNote)}_`);
  if (BOOKING_STATUSES.includes(inv.status)) notes.push(`Type: *${typeLabel(inv)}*${info.accountName ? ` from *${esc(info.accountName)}*` : ''}`);
  if (notes.length) blocks.push({ type: 'context', elements: [mrkdwn(notes.join('  ·  '))] });

  const why = explanation(info);
  if (why) blocks.push({ type: 'section', block_id: 'invoice_reason', text: mrkdwn(why) });
  if (info.sameFileAs && inv.status !== 'synced' && !booked) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`:information_source: This same file was shared before (invoice #${info.sameFileAs.id}, ${info.sameFileAs.status}).`)],
    });
  }

  if (info.approval?.length) blocks.push(...info.approval);
  if (info.autoBook) blocks.push(autoBookSection(info.autoBook));

  const buttons = cardButtons(info, booked);
  if (buttons.length) blocks.push({ type: 'actions', block_id: 'invoice_actions', elements: buttons });

  const text = `${status.replace(/:[a-z_]+: /, '')} — ${inv.vendorName ?? inv.fileName}${inv.amountCents != null ? `, ${amountText(inv)}` : ''}`;
  return { text, blocks };
}

/** The card's buttons for the invoice's status (review, retry, sync anyway / book again, reconnect, sync now, open). */
function cardButtons(info: InvoiceInfo, booked: ReturnType<typeof bookedOriginal>): any[] {
  const { inv } = info;
  const buttons: any[] = [];
  const id = String(inv.id);
  // A file already in QuickBooks offers no review: only an admin may book it again (checked on the server).
  const bookAgain = !!booked && !inv.submittedBy;
  if (isEditable(inv) && !bookAgain && inv.status !== 'received' && inv.status !== 'deleted_in_qbo') {
    buttons.push(button('Review & sync', ACTION.review, id, inv.status === 'failed' || inv.status === 'duplicate' ? undefined : 'primary'));
  }
  if (info.autoBook) buttons.unshift(button('Undo', ACTION.undoAutoBook, id, 'danger'));
  if (inv.status === 'failed') buttons.push(button('Retry', ACTION.retry, id, 'primary'));
  if (inv.status === 'duplicate') buttons.push(bookAgain ? button('Book again', ACTION.bookAgain, id) : button('Sync anyway', ACTION.syncAnyway, id));
  // QuickBooks needs a new consent: the button opens settings for an admin (anyone else is told to ask one).
  if (inv.status === 'blocked' && inv.blockCause === 'not_connected' && info.needsReconnect)
    buttons.push(button('Reconnect QuickBooks', SA.open, 'reconnect', 'primary'));
  // Auto-sync off: a ready invoice waits for an admin (the button is there for everyone; only admins are let through).
  if (inv.status === 'ready' && !info.autoSync) buttons.push(button('Sync now', ACTION.syncNow, id));
  // No Mark paid here: the whole channel sees the card, and only admins and named payers may record a payment (they
  // get the button in their DM and App Home).
  const url = booked?.qboUrl ?? inv.qboUrl;
  if (url && (inv.status === 'synced' || inv.status === 'duplicate')) buttons.push(linkButton('Open in QuickBooks', url, ACTION.open, id));
  return buttons;
}

/** "Will be booked as Bill · from Accounts Payable · cost code Framing at 2:04 PM": Slack shows the time in the reader's zone. */
function autoBookSection(a: { at: number; coding: string }) {
  const secs = Math.round(a.at / 1000);
  const fallback = new Date(a.at).toISOString().slice(11, 16) + ' UTC';
  return {
    type: 'section',
    block_id: 'invoice_auto_book',
    text: mrkdwn(
      `:robot_face: Will be booked as *${esc(a.coding)}* at <!date^${secs}^{time}|${fallback}>, by the vendor's pinned rule. *Undo* keeps it here for review.`,
    ),
  };
}

const mark = (check: CheckedField[], f: CheckedField) => (check.includes(f) ? ' :warning:' : '');

function explanation(info: InvoiceInfo): string | null {
  const { inv } = info;
  const reason = statusMrkdwn(inv);
  switch (inv.status) {
    case 'needs_input':
      return reason ? `:pencil2: ${reason}` : null;
    case 'blocked':
      return `*Why:* ${reason}\nIt will sync by itself once this is fixed; the admins have been told.`;
    case 'failed':
      return `*What happened:* ${reason}`;
    case 'duplicate': {
      if (bookedOriginal(info)) {
        return info.inv.submittedBy
          ? 'An admin can still *Sync anyway* if this really is another invoice.'
          : 'Nothing to do: it is booked. If this really is another invoice, an admin can *Book again*.';
      }
      const link = info.duplicateOf?.qboUrl ?? inv.qboUrl;
      return `${reason}${link ? ` — <${link}|open the existing one>` : ''}.\nAn admin can still *Sync anyway*.`;
    }
    case 'ready':
      return info.autoSync ? null : 'Auto-sync is off: it waits here until an admin turns Auto-sync on or syncs it.';
    case 'synced':
      return inv.qboPaymentId ? `:moneybag: ${reason || 'Marked paid.'}` : reason ? `_${reason}_` : null;
    default:
      return null;
  }
}
