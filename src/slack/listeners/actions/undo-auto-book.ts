import type { App, BlockAction } from '@slack/bolt';
import { tellClicker } from './invoice-context.ts';
import type { SlackDeps } from '../../deps.ts';
import { refreshCard } from '../../notify.ts';
import { ACTION } from '../../views/invoice-common.ts';

/**
 * Auto-book's Slack side (issue 14): a freshly read invoice that a pinned rule can book gets its booking scheduled
 * at intake (src/app/intake.ts) and its card the Undo; *Undo* (the uploader or an admin, checked here) cancels the
 * booking before anything reaches QuickBooks, and the invoice stays for the usual review.
 */

export function register(app: App, deps: SlackDeps) {
  app.action(ACTION.undoAutoBook, async ({ ack, body, client, context }) => {
    await ack();
    const b = body as BlockAction;
    const teamId = b.team?.id ?? context.teamId;
    const userId = b.user.id;
    const id = Number((b.actions[0] as { value?: string }).value);
    const inv = teamId && Number.isInteger(id) ? await deps.engine.invoices.get(teamId, id) : null;
    if (!inv) return;
    if (inv.uploadedBy !== userId && !(await deps.admins.isAdmin(client, inv.teamId, userId))) {
      await tellClicker(deps, client, b, 'Only the person who shared this invoice or a QuickBooks admin can undo its booking.');
      return;
    }
    const undone = await deps.engine.autoBook.undo(inv.id, userId);
    await refreshCard(deps, inv.id);
    await tellClicker(
      deps,
      client,
      b,
      undone
        ? 'Undone: nothing was sent to QuickBooks. The invoice waits here for *Review & sync*.'
        : 'Too late to undo: the booking has already started.',
    );
  });
}
