import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import type { ConfirmedFields, Invoice } from '../../../invoices/service.ts';
import { typeFits } from '../../../qbo/accounts.ts';
import { QboError } from '../../../qbo/errors.ts';
import type { QboEntity } from '../../../qbo/client.ts';
import { KIND_LABEL, type Profile } from '../../../workspace/profiles.ts';
import { esc } from '../../views/common.ts';
import { isEditable, lostMessage, qboName, statusLine } from '../../views/invoice-common.ts';
import { reviewNotice } from '../../views/review-notice.ts';
import { fieldsToCheck } from '../../../invoices/confidence.ts';
import { FIELD, messageModal, parseReviewMetadata, REVIEW_CALLBACK, reviewModal, type ReviewValues } from '../../views/invoice-review.ts';
import { invoiceInfo } from '../../notify.ts';
import { checkSplitSubmission } from '../../split-review.ts';
import { statusMrkdwn } from '../../copy/reasons.ts';
import { formSchema, parseAmountCents } from './review-form.ts';
import { reviewValuesFor } from './review-values.ts';

export { isRealDate, parseAmountCents } from './review-form.ts';
export { reviewValuesFor } from './review-values.ts';

/**
 * Submissions of the review modal (`review_submit`; the upload modal's are in upload.ts). Every field is checked
 * server-side; errors go back on the field (`response_action: errors`). A valid review is confirmed and submitted to
 * the sync engine at once (DB only, well inside Slack's 3 s), and the modal then says what happened.
 */

// ---------- building the modal from an invoice ----------

/** The review modal for an invoice, or a read-only note when it can no longer be changed. */
/** `coding`: values a vendor rule preselects (fields the invoice leaves empty) and the note saying so. */
export async function reviewViewFor(deps: SlackDeps, inv: Invoice, coding?: { values: Partial<ReviewValues>; note: string } | null): Promise<any> {
  const info = await invoiceInfo(deps, inv);
  if (!isEditable(inv)) {
    const link = inv.qboUrl ? `\n<${inv.qboUrl}|Open ${esc(qboName(inv))} in QuickBooks>` : '';
    return messageModal('Invoice', `*${statusLine(info)}*${link}`);
  }
  const check = fieldsToCheck(inv);
  return reviewModal({
    mode: 'review',
    invoiceId: inv.id,
    channelId: inv.channelId,
    fileName: inv.fileName,
    autoSync: info.autoSync,
    values: { ...(await reviewValuesFor(deps, inv)), ...coding?.values },
    notice: reviewNotice(inv, check),
    check,
    notConnected: !(await deps.engine.connections.isConnected(inv.teamId)),
    codingNote: coding?.note ?? null,
  });
}

// ---------- reading and checking what was entered ----------

type StateValues = Record<string, Record<string, any>>;

function read(values: StateValues) {
  const v = (id: string) => values[id]?.[id];
  const str = (id: string): string | null => {
    const s = v(id)?.value;
    return typeof s === 'string' && s.trim() ? s.trim() : null;
  };
  const sel = (id: string): string | null => v(id)?.selected_option?.value ?? null;
  const selText = (id: string): string | null => v(id)?.selected_option?.text?.text ?? null;
  const date = (id: string): string | null => v(id)?.selected_date ?? null;
  return {
    files: (v(FIELD.file)?.files ?? []) as any[],
    txnType: sel(FIELD.type),
    accountId: sel(FIELD.account),
    projectId: sel(FIELD.project),
    costCodeId: sel(FIELD.costCode),
    vendorId: sel(FIELD.vendor),
    vendorText: selText(FIELD.vendor),
    amount: str(FIELD.amount),
    invoiceNumber: str(FIELD.number),
    invoiceDate: date(FIELD.date),
    dueDate: date(FIELD.due),
    memo: str(FIELD.memo),
  };
}

export interface Checked {
  fields: Omit<ConfirmedFields, 'currency'>;
  newVendorName: string | null;
  unlinked: Profile[];
}

/** The vendor field: an active QuickBooks vendor, or `new:<name>` to create (only while connected). */
async function checkVendor(deps: SlackDeps, teamId: string, r: ReturnType<typeof read>, vendorRequired: boolean, errors: Record<string, string>) {
  let newVendorName: string | null = null;
  let vendorName: string | null = null;
  if (r.vendorId?.startsWith('new:')) {
    newVendorName = r.vendorId.slice(4).trim();
    vendorName = newVendorName;
    if (!newVendorName) errors[FIELD.vendor] = 'Type the vendor’s name.';
    else if (!(await deps.engine.connections.isConnected(teamId)))
      errors[FIELD.vendor] = 'QuickBooks is not connected, so I can’t create vendors yet. An admin can connect it in `/qbo settings`.';
  } else if (r.vendorId) {
    const v = await deps.engine.lists.get(teamId, 'Vendor', r.vendorId);
    if (!v) errors[FIELD.vendor] = 'This vendor is no longer in QuickBooks. Choose another.';
    else if (!v.active) errors[FIELD.vendor] = `“${v.name}” is inactive in QuickBooks. Make it active there, or choose another vendor.`;
    vendorName = v?.name ?? r.vendorText;
  } else if (vendorRequired && (await deps.engine.connections.isConnected(teamId))) {
    errors[FIELD.vendor] = 'Choose the vendor.';
  }
  return { newVendorName, vendorName };
}

/**
 * Every field checked against what QuickBooks and the workspace hold now. `amountRequired`/`vendorRequired` are off
 * for the upload modal, where an empty field is read from the file.
 */
export async function checkReview(
  deps: SlackDeps,
  teamId: string,
  values: StateValues,
  o: { amountRequired: boolean; vendorRequired: boolean },
): Promise<{ ok: true; value: Checked } | { ok: false; errors: Record<string, string> }> {
  const { store, lists } = deps.engine;
  const r = read(values);
  const errors: Record<string, string> = {};
  const parsed = formSchema.safeParse({
    [FIELD.type]: r.txnType ?? undefined,
    [FIELD.amount]: r.amount,
    [FIELD.number]: r.invoiceNumber,
    [FIELD.date]: r.invoiceDate,
    [FIELD.due]: r.dueDate,
    [FIELD.memo]: r.memo,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? FIELD.amount);
      errors[key] ??= issue.message;
    }
  }
  if (o.amountRequired && !r.amount) errors[FIELD.amount] ??= 'Enter the amount.';

  // Purchase account: still an active Bank or Credit Card account.
  if (r.accountId) {
    const a = await lists.get(teamId, 'Account', r.accountId);
    if (!a) errors[FIELD.account] = 'This account is no longer in QuickBooks. Choose another.';
    else if (!a.active) errors[FIELD.account] = `“${a.fullName}” is inactive in QuickBooks. Choose an active account.`;
    else if (!typeFits(a.type, 'purchase')) errors[FIELD.account] = `“${a.fullName}” is a ${a.type} account; choose a Bank or Credit Card account.`;
  }

  // Vendor: an active QBO vendor, or a new one to create.
  const { newVendorName, vendorName } = await checkVendor(deps, teamId, r, o.vendorRequired, errors);

  // Project and cost code: local profiles; unlinked ones are reported (see the submit handler).
  const unlinked: Profile[] = [];
  const profile = async (field: string, id: string | null, kind: 'project' | 'cost_code'): Promise<number | null> => {
    if (!id) return null;
    const p = /^\d+$/.test(id) ? await store.profiles.get(teamId, Number(id)) : null;
    if (!p || p.kind !== kind) {
      errors[field] = `This ${KIND_LABEL[kind]} was deleted. Choose another.`;
      return null;
    }
    if (!p.qboId) unlinked.push(p);
    return p.id;
  };
  const projectProfileId = await profile(FIELD.project, r.projectId, 'project');
  const costCodeProfileId = await profile(FIELD.costCode, r.costCodeId, 'cost_code');

  if (Object.keys(errors).length) return { ok: false, errors };
  const d = parsed.data!;
  return {
    ok: true,
    value: {
      fields: {
        txnType: d[FIELD.type],
        purchaseAccountId: r.accountId,
        projectProfileId,
        costCodeProfileId,
        vendorId: newVendorName ? null : r.vendorId,
        vendorName,
        amountCents: d[FIELD.amount],
        invoiceNumber: d[FIELD.number],
        invoiceDate: d[FIELD.date],
        dueDate: d[FIELD.due],
        memo: d[FIELD.memo],
      },
      newVendorName,
      unlinked,
    },
  };
}

export function unlinkedMessage(p: Profile): string {
  return (
    `The ${KIND_LABEL[p.kind]} “${p.name}” is not linked to QuickBooks, so this invoice can't sync yet. ` +
    `Choose a linked ${KIND_LABEL[p.kind]}, or an admin links it in \`/qbo settings\` → Link projects & cost codes. ` +
    `Submit again to keep it: the invoice then waits (blocked) and the admins get a message to link it.`
  );
}

/** Unlinked profiles a person has been warned about, per open modal: the second submit keeps them (→ blocked). */
const warned = new Map<string, Set<number>>();

/**
 * How long the submit may wait for QuickBooks in all: Slack wants the view_submission ack within 3 s, and the
 * network to Slack takes its share of that.
 */
const VENDOR_CREATE_MS = 1500;
const VENDOR_LOOKUP_MS = 500;

class Timeout extends Error {}
function within<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Timeout(message)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * The new vendor typed in the review modal. The race against Slack's clock cannot cancel QBO's create, so when it
 * times out (the vendor may well exist by now) or QBO says the name is taken (6240: made in QBO since the last list
 * refresh, or by our own late create), the vendor is looked up in QBO by its exact DisplayName and used.
 */
export async function createVendor(deps: SlackDeps, teamId: string, typed: string): Promise<{ id: string; name: string }> {
  const { lists, qbo, log } = deps.engine;
  const name = typed.slice(0, 500);
  const existing = (await lists.search(teamId, 'Vendor', name, { includeInactive: true, limit: 50 })).find(
    (v) => v.name.toLowerCase() === name.toLowerCase(),
  );
  if (existing) {
    if (!existing.active) throw new Error(`“${existing.name}” exists but is inactive in QuickBooks. Make it active there, or choose another vendor.`);
    return { id: existing.id, name: existing.name };
  }
  const use = async (v: QboEntity) => {
    await lists.upsert(teamId, 'Vendor', v);
    return { id: String(v.Id), name: String((v as any).DisplayName ?? name) };
  };
  const creating = qbo.create(teamId, 'Vendor', { DisplayName: name });
  try {
    return await use(await within(creating, VENDOR_CREATE_MS, 'QuickBooks took too long to create the vendor. Try again.'));
  } catch (err) {
    const timedOut = err instanceof Timeout;
    const taken = err instanceof QboError && err.code === '6240';
    if (!timedOut && !taken) throw err;
    // A create that lands after the timeout still goes into the list cache, so the next submit finds it.
    if (timedOut) creating.then(use, () => undefined).catch((e) => log.warn('late vendor create not cached', { teamId, error: e }));
    let found: QboEntity[] = [];
    try {
      found = await within(qbo.findAll<QboEntity>(teamId, 'Vendor', { DisplayName: name }), VENDOR_LOOKUP_MS, 'lookup timed out');
    } catch (lookupErr) {
      log.warn('vendor lookup after create failed', { teamId, error: lookupErr });
    }
    const hit = found.find((v) => String((v as any).DisplayName ?? '').toLowerCase() === name.toLowerCase()) ?? found[0];
    if (hit) return use(hit);
    if (taken)
      throw new Error(
        `QuickBooks already has a vendor named “${name}” (it may be inactive there). Make it active in QuickBooks, or choose another vendor.`,
      );
    throw err;
  }
}

/** What the modal says after a submit, from the invoice's new status. */
export async function outcomeModal(deps: SlackDeps, inv: Invoice): Promise<any> {
  const info = await invoiceInfo(deps, inv);
  const reason = statusMrkdwn(inv);
  switch (inv.status) {
    case 'blocked':
      return messageModal(
        'Not synced yet',
        `:no_entry: *Saved, but not synced:* ${reason}\n\nIt syncs by itself once this is fixed; the admins have been told.`,
      );
    case 'duplicate':
      return messageModal(
        'Possible duplicate',
        `:warning: *Not synced:* ${reason}${inv.qboUrl ? ` — <${inv.qboUrl}|open the existing one>` : ''}.\n\nIf it really is a different invoice, an admin can *Sync anyway*.`,
      );
    case 'ready':
      return info.autoSync
        ? messageModal('Sent', ':hourglass_flowing_sand: *Sent to QuickBooks.* You’ll get a message when it is booked (or if QuickBooks refuses it).')
        : messageModal(
            'Saved',
            ':double_vertical_bar: *Saved as ready.* Auto-sync is off, so it waits until an admin turns Auto-sync on in `/qbo settings` (or syncs it).',
          );
    default:
      return messageModal('Saved', `*${statusLine(info)}*${reason ? `\n${reason}` : ''}`);
  }
}

// ---------- listeners ----------

export function register(app: App, deps: SlackDeps) {
  const { engine, log } = deps;

  app.view(REVIEW_CALLBACK, async ({ ack, body, view, client }) => {
    const teamId = body.team?.id ?? view.team_id;
    const userId = body.user.id;
    const meta = parseReviewMetadata(view.private_metadata);
    const inv = meta.i != null ? await engine.invoices.get(teamId, meta.i) : null;
    if (!inv) return void (await ack({ response_action: 'update', view: messageModal('Invoice', 'This invoice no longer exists.') }));
    if (!isEditable(inv)) return void (await ack({ response_action: 'update', view: await reviewViewFor(deps, inv) }));

    const checked = await checkReview(deps, teamId, view.state.values as StateValues, { amountRequired: true, vendorRequired: true });
    if (!checked.ok) return void (await ack({ response_action: 'errors', errors: checked.errors }));
    const { fields, newVendorName, unlinked } = checked.value;
    // Split lines: checked to the cent (errors on the fields); the first line's project and cost code stand for the invoice's.
    const split = await checkSplitSubmission(
      deps,
      teamId,
      view,
      meta,
      { cents: fields.amountCents, currency: inv.currency },
      parseAmountCents,
      unlinkedMessage,
    );
    if (split && !split.ok) return void (await ack({ response_action: 'errors', errors: split.errors }));
    if (split?.ok)
      Object.assign(fields, {
        projectProfileId: split.lines[0]?.projectProfileId ?? null,
        costCodeProfileId: split.lines[0]?.costCodeProfileId ?? null,
      });

    // Unlinked project / cost code: say which and how to fix it; a second submit keeps it (the invoice waits, blocked).
    const seen = warned.get(view.id) ?? new Set<number>();
    const fresh = unlinked.filter((p) => !seen.has(p.id));
    if (fresh.length) {
      for (const p of fresh) seen.add(p.id);
      warned.set(view.id, seen);
      const errors: Record<string, string> = {};
      for (const p of fresh) errors[p.kind === 'project' ? FIELD.project : FIELD.costCode] = unlinkedMessage(p);
      return void (await ack({ response_action: 'errors', errors }));
    }
    warned.delete(view.id);

    // No vendor picked (QuickBooks not connected, so there is nothing to pick): keep the name read from the file.
    if (!fields.vendorId && !newVendorName && !fields.vendorName) fields.vendorName = inv.vendorName;

    if (newVendorName) {
      try {
        const v = await createVendor(deps, teamId, newVendorName);
        fields.vendorId = v.id;
        fields.vendorName = v.name;
      } catch (err) {
        const msg =
          err instanceof QboError
            ? `QuickBooks refused the new vendor: ${err.detail ?? err.message}`
            : err instanceof Error
              ? err.message
              : String(err);
        return void (await ack({ response_action: 'errors', errors: { [FIELD.vendor]: msg } }));
      }
    }

    try {
      await engine.invoices.confirm(inv.id, { ...fields, currency: inv.currency }, userId);
      await engine.invoiceLines.replace(inv.id, split?.ok ? split.lines : []);
      const moved = await engine.sync.submit(inv.id, userId);
      // Another submit (or a sync) got there first: this one changed nothing, and says so.
      if (!moved.applied) return void (await ack({ response_action: 'update', view: messageModal('Not saved', lostMessage(moved.invoice)) }));
      await ack({ response_action: 'update', view: await outcomeModal(deps, moved.invoice) });
    } catch (err) {
      log.error('review submit failed', { invoiceId: inv.id, error: err });
      await ack({ response_action: 'errors', errors: { [FIELD.amount]: 'Something went wrong saving this invoice. Please try again.' } });
    }
    void client;
  });
}

export async function openReview(deps: SlackDeps, client: WebClient, triggerId: string, inv: Invoice) {
  await client.views.open({ trigger_id: triggerId, view: await reviewViewFor(deps, inv) });
}
