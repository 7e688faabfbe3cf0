import { esc, mrkdwn } from './common.ts';
import { ACTION, amountText, button, invoiceTitle, isCreditNote, linkButton, qboName, typeLabel, type InvoiceInfo } from './invoice-common.ts';
import { statusMrkdwn, statusText } from '../copy/reasons.ts';

/** Direct messages to the person who shared an invoice and the one who submitted it. Pure: data in, message out. */

export interface Message {
  text: string;
  blocks: any[];
}

const where = (info: InvoiceInfo) => (info.inv.channelId ? ` (shared in <#${info.inv.channelId}>)` : '');

/**
 * Success: type, QBO number, amount, vendor, project, and a link that opens it in QuickBooks. `canPay`: the
 * recipient may record the payment of an unpaid Bill, so the DM offers Mark paid.
 */
export function syncedDm(info: InvoiceInfo, o: { canPay?: boolean } = {}): Message {
  const { inv } = info;
  const name = qboName(inv);
  const text = `${name} is in QuickBooks: ${amountText(inv)} to ${inv.vendorName ?? 'the vendor'}${info.projectName ? ` for ${info.projectName}` : ''}.`;
  const fields = [
    mrkdwn(`*Type*\n${typeLabel(inv)}`),
    mrkdwn(`*QuickBooks number*\n${esc(inv.qboDocNumber ?? inv.qboId ?? '—')}`),
    mrkdwn(`*Amount*\n${amountText(inv)}`),
    mrkdwn(`*Vendor*\n${esc(inv.vendorName ?? '—')}`),
    mrkdwn(info.splitSummary ? `*Split*\n${esc(info.splitSummary)}` : `*Project*\n${info.projectName ? esc(info.projectName) : '—'}`),
  ];
  if (info.accountName) fields.push(mrkdwn(`*${inv.txnType === 'Expense' ? 'Paid from' : 'Pay from'}*\n${esc(info.accountName)}`));
  const blocks: any[] = [
    { type: 'section', block_id: 'invoice_dm_head', text: mrkdwn(`:white_check_mark: *${esc(name)}* is in QuickBooks${where(info)}.`) },
    { type: 'section', block_id: 'invoice_dm_fields', fields },
  ];
  if (statusText(inv)) blocks.push({ type: 'context', elements: [mrkdwn(`:information_source: ${statusMrkdwn(inv)}`)] });
  const actions: any[] = [];
  if (inv.qboUrl) actions.push(linkButton('Open in QuickBooks', inv.qboUrl, ACTION.open, String(inv.id)));
  if (o.canPay && inv.txnType === 'Bill' && !isCreditNote(inv) && !inv.qboPaymentId)
    actions.push(button('Mark paid', ACTION.markPaid, String(inv.id)));
  if (actions.length) blocks.push({ type: 'actions', block_id: 'invoice_dm_actions', elements: actions });
  return { text: inv.qboUrl ? `${text} ${inv.qboUrl}` : text, blocks };
}

/** Failure: the reason in plain words, what to do, and Retry. */
export function failedDm(info: InvoiceInfo): Message {
  const { inv } = info;
  const title = invoiceTitle(inv);
  return {
    text: `${title} was not booked in QuickBooks: ${statusText(inv) || 'QuickBooks refused it.'}`,
    blocks: [
      { type: 'section', block_id: 'invoice_dm_head', text: mrkdwn(`:x: *${esc(title)}* was not booked in QuickBooks${where(info)}.`) },
      { type: 'section', block_id: 'invoice_dm_reason', text: mrkdwn(`*What happened:* ${statusMrkdwn(inv) || 'QuickBooks refused it.'}`) },
      {
        type: 'context',
        elements: [
          mrkdwn('Fix what it says (or change the details with *Review*), then press *Retry*. Nothing is lost: the invoice and its file are kept.'),
        ],
      },
      {
        type: 'actions',
        block_id: 'invoice_dm_actions',
        elements: [button('Retry', ACTION.retry, String(inv.id), 'primary'), button('Review', ACTION.review, String(inv.id))],
      },
    ],
  };
}

/** Blocked: which precondition and why; it resends itself once fixed. */
export function blockedDm(info: InvoiceInfo): Message {
  const { inv } = info;
  const title = invoiceTitle(inv);
  return {
    text: `${title} is not synced yet: ${statusText(inv)}`,
    blocks: [
      { type: 'section', block_id: 'invoice_dm_head', text: mrkdwn(`:no_entry: *${esc(title)}* is not synced yet${where(info)}.`) },
      { type: 'section', block_id: 'invoice_dm_reason', text: mrkdwn(`*Why:* ${statusMrkdwn(inv)}`) },
      {
        type: 'context',
        elements: [mrkdwn('The admins have been asked to fix it; the invoice then syncs by itself. You can also change the details with *Review*.')],
      },
      { type: 'actions', block_id: 'invoice_dm_actions', elements: [button('Review', ACTION.review, String(inv.id))] },
    ],
  };
}

export function duplicateDm(info: InvoiceInfo): Message {
  const { inv } = info;
  const title = invoiceTitle(inv);
  const link = info.duplicateOf?.qboUrl ?? inv.qboUrl;
  const elements: any[] = [button('Sync anyway', ACTION.syncAnyway, String(inv.id))];
  if (link) elements.unshift(linkButton('Open the existing one', link, ACTION.open, String(inv.id)));
  return {
    text: `${title} looks like a duplicate: ${statusText(inv)}${link ? ` ${link}` : ''}`,
    blocks: [
      { type: 'section', block_id: 'invoice_dm_head', text: mrkdwn(`:warning: *${esc(title)}* looks like a duplicate${where(info)}.`) },
      { type: 'section', block_id: 'invoice_dm_reason', text: mrkdwn(`${statusMrkdwn(inv)}${link ? ` — <${link}|open the existing one>` : ''}.`) },
      { type: 'context', elements: [mrkdwn('Nothing was sent to QuickBooks. If it really is a different invoice, an admin can *Sync anyway*.')] },
      { type: 'actions', block_id: 'invoice_dm_actions', elements },
    ],
  };
}

/** Saved while Auto-sync is off. */
export function waitingDm(info: InvoiceInfo): Message {
  const title = invoiceTitle(info.inv);
  const text = `${title} is saved and ready. Auto-sync is off, so it waits until an admin turns Auto-sync on (in /qbo settings) or syncs it.`;
  return {
    text,
    blocks: [
      { type: 'section', block_id: 'invoice_dm_head', text: mrkdwn(`:double_vertical_bar: *${esc(title)}* is saved and *ready*${where(info)}.`) },
      {
        type: 'section',
        block_id: 'invoice_dm_reason',
        text: mrkdwn(
          'Auto-sync is off, so it waits until an admin turns Auto-sync on in `/qbo settings` (or syncs it). It goes to QuickBooks then, by itself.',
        ),
      },
    ],
  };
}

export function needsInputDm(info: InvoiceInfo): Message {
  const { inv } = info;
  const title = invoiceTitle(inv);
  return {
    text: `${title} needs your input: ${statusText(inv)}`,
    blocks: [
      { type: 'section', block_id: 'invoice_dm_head', text: mrkdwn(`:pencil2: *${esc(title)}* needs your input${where(info)}.`) },
      { type: 'section', block_id: 'invoice_dm_reason', text: mrkdwn(statusMrkdwn(inv) || 'Some details are missing.') },
      { type: 'actions', block_id: 'invoice_dm_actions', elements: [button('Review', ACTION.review, String(inv.id), 'primary')] },
    ],
  };
}

export function paidDm(info: InvoiceInfo, by: string): Message {
  const { inv } = info;
  const name = qboName(inv);
  const text = `${name} (${amountText(inv)} to ${inv.vendorName ?? 'the vendor'}) was marked paid by <@${by}>${info.accountName ? ` from ${info.accountName}` : ''}.`;
  const blocks: any[] = [
    { type: 'section', block_id: 'invoice_dm_head', text: mrkdwn(`:moneybag: ${esc(text).replace(`&lt;@${by}&gt;`, `<@${by}>`)}`) },
  ];
  if (inv.qboUrl)
    blocks.push({
      type: 'actions',
      block_id: 'invoice_dm_actions',
      elements: [linkButton('Open in QuickBooks', inv.qboUrl, ACTION.open, String(inv.id))],
    });
  return { text, blocks };
}
