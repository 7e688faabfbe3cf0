import type { OpenCredit } from '../../invoices/credits.ts';
import { esc, money, mrkdwn, option, plain, truncate, MAX_OPTION_TEXT } from './common.ts';

/** *Mark paid* on a Bill whose vendor has open credits: which to apply, and what is then paid from the account. */

export const CREDITS_CALLBACK = 'mark_paid_credits';
export const CREDITS_FIELD = 'mark_paid_credit_ids';

export interface CreditsModalInput {
  invoiceId: number;
  billName: string;
  vendorName: string | null;
  billCents: number;
  currency: string;
  accountName: string | null;
  credits: OpenCredit[];
}

export function creditsModal(p: CreditsModalInput): any {
  const fmt = (c: number) => money(c, p.currency);
  const all = p.credits.reduce((s, c) => s + c.amountCents, 0);
  const options = p.credits.map((c) =>
    option(truncate(`Credit note ${c.number ?? c.vendorCreditId}: ${fmt(c.amountCents)}`, MAX_OPTION_TEXT), c.vendorCreditId),
  );
  return {
    type: 'modal',
    callback_id: CREDITS_CALLBACK,
    title: plain('Mark paid', 24),
    submit: plain('Record payment', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify({ i: p.invoiceId }),
    blocks: [
      {
        type: 'section',
        block_id: 'mark_paid_summary',
        text: mrkdwn(
          `*${esc(p.billName)}* — ${fmt(p.billCents)} to ${esc(p.vendorName ?? 'the vendor')}.\n${esc(p.vendorName ?? 'The vendor')} has open credits: applied, the payment${p.accountName ? ` from *${esc(p.accountName)}*` : ''} is ${fmt(p.billCents - all)} (the difference).`,
        ),
      },
      {
        type: 'input',
        block_id: CREDITS_FIELD,
        label: plain('Apply vendor credits'),
        optional: true,
        hint: plain('Untick a credit to keep it for a later bill.'),
        element: { type: 'checkboxes', action_id: CREDITS_FIELD, options, initial_options: options },
      },
    ],
  };
}
