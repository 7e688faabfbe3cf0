import type { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import { isEditable, type Invoice } from '../../../invoices/service.ts';
import type { ReadingState } from '../../views/invoice-common.ts';
import { FIELD, loadingModal, messageModal, parseReviewMetadata, UPLOAD_CALLBACK } from '../../views/invoice-review.ts';
import { intakeSlackFile, type SlackFileIntake } from '../../intake.ts';
import { type Checked, checkReviewState, reviewViewFor } from './invoices.ts';
import { stateOf } from '../payload.ts';

/**
 * The upload modal (`/qbo upload`, the *Upload an invoice* shortcut): a PDF or a photo or scan of the invoice, and
 * any fields the person already knows. The file is fetched and read after the ack, the modal saying how far (a
 * photo or a scan takes seconds a page); then the same modal becomes the review of the new invoice, what the
 * person typed winning over what was read.
 */

export function register(app: App, deps: SlackDeps) {
  app.view(UPLOAD_CALLBACK, async ({ ack, body, view, client, context }) => {
    const teamId = body.team?.id ?? view.team_id;
    const values = stateOf(view);
    const checked = await checkReviewState(deps, teamId, values, { amountRequired: false, vendorRequired: false });
    const files: Array<{ id?: string; name?: string }> = values[FIELD.file]?.[FIELD.file]?.files ?? [];
    if (!checked.ok) return void (await ack({ response_action: 'errors', errors: checked.errors }));
    const file = files[0];
    if (!file?.id)
      return void (await ack({ response_action: 'errors', errors: { [FIELD.file]: 'Attach the invoice: a PDF, or a photo or scan of it.' } }));
    await ack({ response_action: 'update', view: loadingModal(file.name) });
    const intake: SlackFileIntake = {
      teamId,
      fileId: file.id,
      source: 'upload',
      channelId: parseReviewMetadata(view.private_metadata).c,
      userId: body.user.id,
      botToken: context.botToken,
    };
    await readThenReview(deps, client, view.id, { ...intake, fileName: file.name ?? null }, checked.value);
  });
}

async function readThenReview(deps: SlackDeps, client: WebClient, viewId: string, intake: SlackFileIntake, typed: Checked) {
  const { log } = deps;
  let progressShown: Promise<unknown> = Promise.resolve();
  const onReading = (state: ReadingState) => {
    progressShown = client.views
      .update({ view_id: viewId, view: loadingModal(intake.fileName ?? undefined, state) })
      .catch((err) => log.warn('upload progress update failed', { error: err }));
  };
  let view: ModalView;
  try {
    let inv = (await intakeSlackFile(deps, client, { ...intake, onReading }))?.invoice ?? null;
    // Another delivery of the same file (a double submit) is reading it: wait for its invoice, as long as a read may take.
    const until = Date.now() + deps.config.intake.readTimeoutMs + 10_000;
    while (!inv && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      inv = (await intakeSlackFile(deps, client, intake))?.invoice ?? null;
    }
    if (!inv) throw new Error('intake did not finish');
    if (isEditable(inv)) inv = await deps.engine.invoices.patch(inv.id, typedFields(typed));
    view = await reviewViewFor(deps, inv);
  } catch (err) {
    log.error('upload intake failed', { teamId: intake.teamId, fileId: intake.fileId, error: err });
    view = messageModal('Upload failed', ':x: I couldn’t fetch that file from Slack. Please try again.');
  }
  await progressShown; // the last "page n of m" must not land over the review
  // Closed meanwhile, Slack answers not_found: the invoice is kept, to be reviewed later (not an intake failure).
  await client.views
    .update({ view_id: viewId, view })
    .catch((err) => log.info('upload outcome not shown', { teamId: intake.teamId, slackError: (err as { data?: { error?: string } }).data?.error }));
}

/** What the person typed in the upload modal: it wins over what was read from the file. */
function typedFields(c: Checked): Partial<Invoice> {
  const f = c.fields;
  const typed: Partial<Invoice> = { txnType: f.txnType };
  if (f.purchaseAccountId) typed.purchaseAccountId = f.purchaseAccountId;
  if (f.projectProfileId != null) typed.projectProfileId = f.projectProfileId;
  if (f.costCodeProfileId != null) typed.costCodeProfileId = f.costCodeProfileId;
  if (f.vendorId) Object.assign(typed, { vendorId: f.vendorId, vendorName: f.vendorName });
  else if (c.newVendorName) Object.assign(typed, { vendorId: null, vendorName: c.newVendorName });
  if (f.amountCents != null) typed.amountCents = f.amountCents;
  if (f.invoiceNumber) typed.invoiceNumber = f.invoiceNumber;
  if (f.invoiceDate) typed.invoiceDate = f.invoiceDate;
  if (f.dueDate) typed.dueDate = f.dueDate;
  if (f.memo) typed.memo = f.memo;
  return typed;
}
