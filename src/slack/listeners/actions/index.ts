import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { register as registerSettings } from './settings.ts';
import { register as registerInvoices } from './invoices.ts';
import { register as registerApprovals } from './approvals.ts';
import { register as registerSplit } from './split.ts';
import { register as registerVendorRules } from './vendor-rules.ts';
import { register as registerUndoAutoBook } from './undo-auto-book.ts';

export function register(app: App, deps: SlackDeps) {
  registerSettings(app, deps);
  registerInvoices(app, deps);
  registerApprovals(app, deps);
  registerSplit(app, deps);
  registerVendorRules(app, deps);
  registerUndoAutoBook(app, deps);
}
