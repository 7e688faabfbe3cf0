import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { register as registerSettings } from './settings.ts';
import { register as registerInvoices } from './invoices.ts';
import { register as registerApprovals } from './approvals.ts';
import { register as registerUpload } from './upload.ts';
import { register as registerCredits } from './credits.ts';

export function register(app: App, deps: SlackDeps) {
  registerSettings(app, deps);
  registerInvoices(app, deps);
  registerApprovals(app, deps);
  registerUpload(app, deps);
  registerCredits(app, deps);
}
