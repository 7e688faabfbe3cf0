import { checkList, type CheckedField } from '../../invoices/confidence.ts';
import type { Invoice } from '../../invoices/service.ts';
import { statusMrkdwn } from '../copy/reasons.ts';

/** The line at the top of the review modal: why it needs input, what failed last time, what to check… */
export function reviewNotice(inv: Invoice, check: CheckedField[] = []): string | null {
  const reason = statusMrkdwn(inv);
  const checkLine = check.length ? `:warning: Check ${checkList(check)}: I'm not sure I read ${check.length > 1 ? 'them' : 'it'} right.` : null;
  switch (inv.status) {
    case 'needs_input': {
      const base =
        inv.extractionError && inv.amountCents == null
          ? `:page_facing_up: I couldn't read this file — enter the details.\n${reason}`
          : `:pencil2: ${reason}`;
      return checkLine ? `${base}\n${checkLine}` : base;
    }
    case 'extracted':
      return checkLine;
    case 'failed':
      return `:x: *Last attempt failed:* ${reason}`;
    case 'blocked':
      return `:no_entry: *Blocked:* ${reason}`;
    case 'duplicate':
      return inv.allowDuplicate ? `:warning: ${reason}. An admin chose to book it again: check the fields, then sync.` : `:warning: ${reason}`;
    case 'ready':
      return ':double_vertical_bar: Saved and ready. Change anything and save again if needed.';
    default:
      return null;
  }
}
