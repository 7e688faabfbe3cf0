import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { openUpload } from '../commands/invoices.ts';
import { teamIdOf } from '../payload.ts';

export const UPLOAD_SHORTCUT = 'invoice_upload_shortcut'; // as in manifest.yml

/** Global shortcut "Upload an invoice": the same modal as `/qbo upload`. */
export function register(app: App, deps: SlackDeps) {
  app.shortcut(UPLOAD_SHORTCUT, async ({ ack, shortcut, client, context }) => {
    await ack();
    const teamId = teamIdOf(shortcut, context);
    if (!teamId) return;
    await openUpload(deps, client, { teamId, triggerId: shortcut.trigger_id, channelId: null });
  });
}
