import { esc, mrkdwn, plain } from './common.ts';
import { ACTION, button } from './invoice-common.ts';

/**
 * The admins' fix-it DM: one per block cause (not per invoice), with a picker that fixes it on the spot. After the
 * fix every invoice waiting on that cause resends itself and the DM says so.
 */

export type FixKind =
  | { kind: 'link'; profileId: number; profileKind: 'project' | 'cost_code'; profileName: string }
  | { kind: 'purchase_account' }
  | { kind: 'expense_account' }
  | { kind: 'connect' }
  | { kind: 'none' };

export interface AdminNoticeInput {
  cause: string;
  reason: string;
  fix: string;
  waiting: number;
  fixKind: FixKind;
}

const invoicesWord = (n: number) => (n === 1 ? '1 invoice is' : `${n} invoices are`);

export function fixKindFor(cause: string, profile?: { id: number; kind: 'project' | 'cost_code'; name: string } | null): FixKind {
  if (cause.startsWith('unlinked:') && profile) return { kind: 'link', profileId: profile.id, profileKind: profile.kind, profileName: profile.name };
  if (cause === 'no_purchase_account') return { kind: 'purchase_account' };
  if (cause === 'no_expense_account') return { kind: 'expense_account' };
  if (cause === 'not_connected') return { kind: 'connect' };
  return { kind: 'none' };
}

export function adminNotice(p: AdminNoticeInput): { text: string; blocks: any[] } {
  const head = `:rotating_light: ${invoicesWord(p.waiting)} waiting: *${esc(p.reason)}*.`;
  const blocks: any[] = [{ type: 'section', block_id: 'invoice_admin_head', text: mrkdwn(head) }];
  const f = p.fixKind;
  const selectSection = (blockId: string, text: string, actionId: string, placeholder: string) => ({
    type: 'section',
    block_id: blockId,
    text: mrkdwn(text),
    accessory: { type: 'external_select', action_id: actionId, placeholder: plain(placeholder, 150), min_query_length: 0 },
  });
  switch (f.kind) {
    case 'link': {
      const what = f.profileKind === 'project' ? 'QuickBooks customer or project' : 'QuickBooks item or expense account';
      blocks.push(selectSection(`${ACTION.fixLink}:${f.profileId}`, `Link *${esc(f.profileName)}* to its ${what}:`, ACTION.fixLink, 'Link to…'));
      break;
    }
    case 'purchase_account':
      blocks.push(
        selectSection(
          'invoice_fix_account_block',
          'Choose the default purchase account (Bank or Credit Card):',
          ACTION.fixAccount,
          'Choose an account',
        ),
      );
      break;
    case 'expense_account':
      blocks.push(
        selectSection('invoice_fix_expense_block', 'Choose the default expense account for invoice lines:', ACTION.fixExpense, 'Choose an account'),
      );
      break;
    case 'connect':
    case 'none':
      blocks.push({ type: 'section', block_id: 'invoice_admin_fix', text: mrkdwn(esc(p.fix).replace(/`([^`]+)`/g, '`$1`')) });
      break;
  }
  blocks.push({
    type: 'context',
    elements: [mrkdwn('Once it is fixed, every invoice waiting on it resends itself. Fixed it elsewhere? Press *Resend waiting invoices*.')],
  });
  blocks.push({ type: 'actions', block_id: 'invoice_admin_actions', elements: [button('Resend waiting invoices', ACTION.resume, p.cause)] });
  return { text: `${invoicesWord(p.waiting)} waiting: ${p.reason}. ${p.fix}`, blocks };
}

/** The DM after the fix: what was done, by whom, and how many invoices went again. */
export function adminNoticeResolved(p: { reason: string; done: string; by: string; resent: number; stillWaiting: number }): {
  text: string;
  blocks: any[];
} {
  const resent = p.resent === 1 ? '1 waiting invoice was resent' : `${p.resent} waiting invoices were resent`;
  const still = p.stillWaiting
    ? ` ${p.stillWaiting === 1 ? '1 invoice is' : `${p.stillWaiting} invoices are`} still waiting for something else.`
    : '';
  const text = `:white_check_mark: Fixed by <@${p.by}>: ${esc(p.done)}. ${resent}.${still}`;
  return {
    text: `Fixed: ${p.done}. ${resent}.${still}`,
    blocks: [
      { type: 'section', block_id: 'invoice_admin_head', text: mrkdwn(`~${esc(p.reason)}~`) },
      { type: 'section', block_id: 'invoice_admin_done', text: mrkdwn(text) },
    ],
  };
}
