import type { App, BlockAction } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { ACTION } from '../../views/invoice-common.ts';
import { bookAgain, markPaid, openInQbo, retry, review, syncAnyway, syncNow } from './invoice-buttons.ts';
import { fixAccount, fixExpense, fixLink, resume } from './fix-it.ts';

export { announcePaid, retryInvoice } from './invoice-buttons.ts';

/**
 * Buttons on the thread card, the DMs and App Home (Review & sync, Retry, Sync anyway, Book again, Sync now, Mark paid,
 * Open in QuickBooks), and the admins' fix-it pickers: wiring only, the callbacks live in invoice-buttons.ts and fix-it.ts.
 */
export function register(app: App, deps: SlackDeps) {
  app.action<BlockAction>(ACTION.open, openInQbo);
  app.action<BlockAction>(ACTION.review, review(deps));
  app.action<BlockAction>(ACTION.retry, retry(deps));
  app.action<BlockAction>(ACTION.syncAnyway, syncAnyway(deps));
  app.action<BlockAction>(ACTION.bookAgain, bookAgain(deps));
  app.action<BlockAction>(ACTION.syncNow, syncNow(deps));
  app.action<BlockAction>(ACTION.markPaid, markPaid(deps));
  app.action<BlockAction>(ACTION.fixLink, fixLink(deps));
  app.action<BlockAction>(ACTION.fixAccount, fixAccount(deps));
  app.action<BlockAction>(ACTION.fixExpense, fixExpense(deps));
  app.action<BlockAction>(ACTION.resume, resume(deps));
}
