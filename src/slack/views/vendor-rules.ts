import type { VendorRule } from '../../store/vendor-rules.ts';
import { esc, mrkdwn, option, plain, truncate, MAX_OPTION_TEXT } from './common.ts';

/**
 * `/qbo settings` → *Vendor rules*: every vendor's rule (learned or pinned) with *Edit* / *Delete*, and *Add rule*;
 * the form pins a rule (learning never overwrites it). Pure Block Kit; the listener checks admin rights.
 */

export const VR = {
  open: 'settings_open_vendor_rules',
  add: 'vendor_rule_add',
  menu: 'vendor_rule_menu',
  vendor: 'review_vendor', // the review modal's vendor picker answers it
  type: 'vendor_rule_type',
  account: 'review_account',
  costCode: 'review_cost_code',
  memo: 'vendor_rule_memo',
  autoBook: 'vendor_rule_auto_book',
} as const;
export const VR_LIST_CALLBACK = 'vendor_rules_list';
export const VR_FORM_CALLBACK = 'vendor_rule_submit';
/** Rules a list shows (2 blocks each, within Slack's 100). */
export const MAX_LISTED_RULES = 45;

export interface RuleRow {
  rule: VendorRule;
  accountLabel: string | null;
  costCodeLabel: string | null;
}

export function describeRule(r: RuleRow): string {
  const bits = [r.rule.txnType ?? 'Bill or Expense as the invoice says'];
  if (r.accountLabel) bits.push(`from ${r.accountLabel}`);
  if (r.costCodeLabel) bits.push(`cost code ${r.costCodeLabel}`);
  if (r.rule.memoPattern) bits.push(`memo “${r.rule.memoPattern}”`);
  const how = r.rule.pinned
    ? `:pushpin: pinned${r.rule.updatedBy && r.rule.updatedBy !== 'learned' ? ` by <@${r.rule.updatedBy}>` : ''}${r.rule.autoBook ? ' · auto-book on (after an Undo window)' : ''}`
    : `learned from ${r.rule.streak === 1 ? 'the last invoice' : `the last ${r.rule.streak} invoices`}`;
  return `*${esc(r.rule.vendorName)}* — ${esc(bits.join(' · '))}\n${how}`;
}

export function vendorRulesList(rows: RuleRow[], notice?: string | null): any {
  const blocks: any[] = [
    {
      type: 'section',
      block_id: 'vendor_rules_intro',
      text: mrkdwn(
        'How each vendor’s invoices are coded: learned from the last booked invoice, or pinned by an admin (then never changed by learning). The project always comes from the channel.',
      ),
      accessory: { type: 'button', action_id: VR.add, text: plain('Add rule'), value: 'add', style: 'primary' },
    },
  ];
  if (notice) blocks.push({ type: 'context', block_id: 'vendor_rules_notice', elements: [mrkdwn(notice)] });
  if (rows.length === 0)
    blocks.push({
      type: 'context',
      block_id: 'vendor_rules_empty',
      elements: [mrkdwn('No vendor rules yet: they are learned as invoices are booked.')],
    });
  for (const r of rows.slice(0, MAX_LISTED_RULES)) {
    const v = r.rule.vendorId;
    blocks.push({
      type: 'section',
      block_id: `vendor_rule_${v}`.slice(0, 255),
      text: mrkdwn(describeRule(r)),
      accessory: { type: 'overflow', action_id: VR.menu, options: [option('Edit', `edit:${v}`), option('Delete', `delete:${v}`)] },
    });
  }
  if (rows.length > MAX_LISTED_RULES) blocks.push({ type: 'context', elements: [mrkdwn(`…and ${rows.length - MAX_LISTED_RULES} more.`)] });
  return { type: 'modal', callback_id: VR_LIST_CALLBACK, title: plain('Vendor rules', 24), close: plain('Back', 24), blocks };
}

export interface RuleFormInput {
  listViewId: string;
  vendor: { id: string; label: string } | null;
  txnType: 'Bill' | 'Expense' | null;
  account: { id: string; label: string } | null;
  costCode: { id: string; label: string } | null;
  memo: string | null;
  autoBook: boolean;
}

const pick = (p: { id: string; label: string } | null) => (p ? { initial_option: option(truncate(p.label, MAX_OPTION_TEXT), p.id) } : {});
const TYPE = { Bill: option('Bill', 'Bill'), Expense: option('Expense', 'Expense') };
const AUTO = option('Book without the review modal (Auto-sync on, nothing left to choose)', 'auto');

export function vendorRuleForm(p: RuleFormInput): any {
  const input = (block: string, label: string, element: any, optional = true, hint?: string) => ({
    type: 'input',
    block_id: block,
    label: plain(label),
    optional,
    element,
    ...(hint ? { hint: plain(hint) } : {}),
  });
  return {
    type: 'modal',
    callback_id: VR_FORM_CALLBACK,
    title: plain('Vendor rule', 24),
    submit: plain('Pin rule', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify({ l: p.listViewId }),
    blocks: [
      input(
        VR.vendor,
        'Vendor',
        { type: 'external_select', action_id: VR.vendor, min_query_length: 0, placeholder: plain('Search QuickBooks vendors'), ...pick(p.vendor) },
        false,
      ),
      input(VR.type, 'Type', {
        type: 'radio_buttons',
        action_id: VR.type,
        options: [TYPE.Bill, TYPE.Expense],
        ...(p.txnType ? { initial_option: TYPE[p.txnType] } : {}),
      }),
      input(VR.account, 'Purchase account', {
        type: 'external_select',
        action_id: VR.account,
        min_query_length: 0,
        placeholder: plain('Bank or credit card account'),
        ...pick(p.account),
      }),
      input(VR.costCode, 'Cost code', {
        type: 'external_select',
        action_id: VR.costCode,
        min_query_length: 0,
        placeholder: plain('Choose a cost code'),
        ...pick(p.costCode),
      }),
      input(
        VR.memo,
        'Memo',
        { type: 'plain_text_input', action_id: VR.memo, max_length: 500, ...(p.memo ? { initial_value: p.memo } : {}) },
        true,
        '{number} is replaced by the invoice number.',
      ),
      input(
        VR.autoBook,
        'Auto-book',
        { type: 'checkboxes', action_id: VR.autoBook, options: [AUTO], ...(p.autoBook ? { initial_options: [AUTO] } : {}) },
        true,
        'Off by default. On (with Auto-sync on): a recognised invoice from this vendor is booked without the review modal, after an Undo window on its card.',
      ),
    ],
  };
}
