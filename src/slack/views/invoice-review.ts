import type { TxnType } from '../../store/index.ts';
import { CHECK_WORD, type CheckedField } from '../../invoices/confidence.ts';
import { mrkdwn, option, plain, truncate, esc, MAX_OPTION_TEXT, type Option } from './common.ts';
import { readingLine, type ReadingState } from './invoice-common.ts';
import { money } from './common.ts';
import { splitBlocks, splitStartBlock, type SplitView } from './split-lines.ts';

/** What the upload modal's file input takes (Slack matches these against the file's extension). */
export const UPLOAD_FILETYPES = ['pdf', 'jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'heic', 'heif'];

/**
 * The review modal (callback `review_submit`), and the same modal with a file input for `/qbo upload`
 * (callback `review_upload`). Block ids double as action ids; errors come back on them (`response_action: errors`).
 */

export const REVIEW_CALLBACK = 'review_submit';
export const UPLOAD_CALLBACK = 'review_upload';

export const FIELD = {
  file: 'review_file',
  type: 'review_type',
  account: 'review_account',
  project: 'review_project',
  costCode: 'review_cost_code',
  vendor: 'review_vendor',
  amount: 'review_amount',
  number: 'review_number',
  date: 'review_date',
  due: 'review_due',
  memo: 'review_memo',
} as const;

export const LABEL = {
  file: 'Invoice file',
  type: 'Type',
  account: 'Purchase account',
  project: 'Project',
  costCode: 'Cost code',
  vendor: 'Vendor',
  amount: 'Amount',
  number: 'Invoice number',
  date: 'Invoice date',
  due: 'Due date',
  memo: 'Memo',
} as const;

export interface Picked {
  id: string;
  label: string;
}

export interface ReviewValues {
  txnType: TxnType;
  account: Picked | null;
  project: Picked | null;
  costCode: Picked | null;
  vendor: Picked | null;
  /** The vendor name read from the file when no QBO vendor matched it. */
  vendorReadName?: string | null;
  amountCents: number | null;
  currency?: string | null;
  invoiceNumber: string | null;
  invoiceDate: string | null;
  dueDate: string | null;
  memo: string | null;
}

export interface ReviewModalInput {
  mode: 'review' | 'upload';
  invoiceId?: number;
  channelId?: string | null;
  fileName?: string | null;
  autoSync: boolean;
  values: ReviewValues;
  /** Shown at the top: why it needs input, what failed last time… */
  notice?: string | null;
  /** QuickBooks is not connected: no vendor list to pick from, so the vendor may wait. */
  notConnected?: boolean;
  /** Fields the reader was unsure of: marked for the person to check. */
  check?: CheckedField[];
  /** Split lines (review mode): replace the single Project and Cost code fields. */
  split?: SplitView | null;
  /** "Coded like the last 3 invoices from Cascade Lumber": where the preselected coding came from. */
  codingNote?: string | null;
}

export interface ReviewMetadata {
  i?: number; // invoice id
  c?: string | null; // channel
  m: 'review' | 'upload';
  s?: number; // split: the revision in its block ids
  n?: number; // split: how many lines
}

export function parseReviewMetadata(s: string | undefined): ReviewMetadata {
  try {
    const m = JSON.parse(s || '{}');
    const split = Number.isInteger(m.s) && Number.isInteger(m.n) && m.n > 0 && m.n <= 100 ? { s: m.s as number, n: m.n as number } : {};
    return {
      i: typeof m.i === 'number' ? m.i : undefined,
      c: typeof m.c === 'string' ? m.c : null,
      m: m.m === 'upload' ? 'upload' : 'review',
      ...split,
    };
  } catch {
    return { m: 'review' };
  }
}

export const centsToInput = (c: number | null | undefined) => (c == null ? undefined : (c / 100).toFixed(2));

const pickedOption = (p: Picked): Option => option(truncate(p.label, MAX_OPTION_TEXT), p.id);

function externalSelect(actionId: string, placeholder: string, initial: Picked | null) {
  return {
    type: 'external_select',
    action_id: actionId,
    placeholder: plain(placeholder, 150),
    min_query_length: 0,
    ...(initial ? { initial_option: pickedOption(initial) } : {}),
  };
}

function input(blockId: string, label: string, element: any, o: { optional?: boolean; hint?: string | null } = {}) {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2000),
    element,
    optional: !!o.optional,
    ...(o.hint ? { hint: plain(o.hint, 2000) } : {}),
  };
}

function textInput(actionId: string, initial: string | null | undefined, extra: Record<string, unknown> = {}) {
  return { type: 'plain_text_input', action_id: actionId, ...(initial ? { initial_value: initial } : {}), ...extra };
}

function datepicker(actionId: string, initial: string | null | undefined) {
  return { type: 'datepicker', action_id: actionId, ...(initial && /^\d{4}-\d{2}-\d{2}$/.test(initial) ? { initial_date: initial } : {}) };
}

const TYPE_OPTIONS = {
  Bill: { text: plain('Bill'), value: 'Bill', description: plain('Pay later, through accounts payable') },
  Expense: { text: plain('Expense'), value: 'Expense', description: plain('Already paid from the purchase account') },
};

/** The field's hint, led by ":warning: Check the amount…" when the reader was unsure of it. */
function checkHint(check: CheckedField[] | undefined, field: CheckedField, hint: string | null): string | null {
  if (!check?.includes(field)) return hint;
  const mark = `:warning: Check ${CHECK_WORD[field]}: I'm not sure I read it right.`;
  return hint ? `${mark} ${hint}` : mark;
}

export function reviewModal(p: ReviewModalInput): any {
  const v = p.values;
  const upload = p.mode === 'upload';
  const ck = p.check;
  const split = upload ? null : (p.split ?? null);
  const blocks: any[] = [];
  if (p.notice) blocks.push({ type: 'section', block_id: 'review_notice', text: mrkdwn(p.notice) });
  else if (p.fileName) blocks.push({ type: 'context', block_id: 'review_file_name', elements: [mrkdwn(`:page_facing_up: ${esc(p.fileName)}`)] });
  if (upload) {
    blocks.push(
      input(
        FIELD.file,
        LABEL.file,
        { type: 'file_input', action_id: FIELD.file, filetypes: UPLOAD_FILETYPES, max_files: 1 },
        {
          hint: 'A PDF, or a photo or scan of the invoice (JPEG, PNG, WebP, TIFF, HEIC). Fields you leave empty are read from the file.',
        },
      ),
    );
  }
  if (p.codingNote) blocks.push({ type: 'context', block_id: 'review_coding_note', elements: [mrkdwn(`:brain: ${esc(p.codingNote)}`)] });
  blocks.push(
    input(FIELD.type, LABEL.type, {
      type: 'radio_buttons',
      action_id: FIELD.type,
      options: [TYPE_OPTIONS.Bill, TYPE_OPTIONS.Expense],
      initial_option: TYPE_OPTIONS[v.txnType],
    }),
    input(FIELD.account, LABEL.account, externalSelect(FIELD.account, 'Bank or credit card account', v.account), {
      optional: true,
      hint: 'Active Bank and Credit Card accounts in QuickBooks. A Bill is paid from it later; an Expense was paid from it.',
    }),
  );
  if (!split) {
    blocks.push(
      input(FIELD.project, LABEL.project, externalSelect(FIELD.project, 'Choose a project', v.project), { optional: true }),
      input(FIELD.costCode, LABEL.costCode, externalSelect(FIELD.costCode, 'Choose a cost code', v.costCode), { optional: true }),
    );
  }
  blocks.push(
    input(FIELD.vendor, LABEL.vendor, externalSelect(FIELD.vendor, 'Search QuickBooks vendors', v.vendor), {
      optional: upload || !!p.notConnected,
      hint: checkHint(
        ck,
        'vendor',
        p.notConnected
          ? `QuickBooks isn't connected yet, so there are no vendors to pick from${v.vendorReadName ? ` (the file says “${v.vendorReadName}”)` : ''}. Save it now; the vendor is chosen once QuickBooks is connected.`
          : v.vendorReadName && !v.vendor
            ? `The file says “${v.vendorReadName}”, which isn't a QuickBooks vendor yet: pick one, or type the name to create it.`
            : null,
      ),
    }),
    input(FIELD.amount, LABEL.amount, textInput(FIELD.amount, centsToInput(v.amountCents), { placeholder: plain('0.00') }), {
      optional: upload,
      hint: checkHint(ck, 'total', `The invoice's full amount${v.currency && v.currency !== 'USD' ? ` (the file is in ${v.currency})` : ''}.`),
    }),
  );
  if (split) blocks.push(...splitBlocks(split, (c) => money(c, v.currency ?? 'USD'), v.amountCents));
  else if (!upload && p.invoiceId != null) blocks.push(splitStartBlock());
  blocks.push(
    input(FIELD.number, LABEL.number, textInput(FIELD.number, v.invoiceNumber), {
      optional: true,
      hint: checkHint(ck, 'invoiceNumber', 'Up to 21 characters (QuickBooks’ limit).'),
    }),
    input(FIELD.date, LABEL.date, datepicker(FIELD.date, v.invoiceDate), { optional: true, hint: checkHint(ck, 'invoiceDate', null) }),
    input(FIELD.due, LABEL.due, datepicker(FIELD.due, v.dueDate), { optional: true, hint: checkHint(ck, 'dueDate', null) }),
    input(FIELD.memo, LABEL.memo, textInput(FIELD.memo, v.memo, { multiline: true, max_length: 3000 }), { optional: true }),
  );
  const meta: ReviewMetadata = { i: p.invoiceId, c: p.channelId ?? null, m: p.mode, ...(split ? { s: split.rev, n: split.rows.length } : {}) };
  return {
    type: 'modal',
    callback_id: upload ? UPLOAD_CALLBACK : REVIEW_CALLBACK,
    title: plain(upload ? 'Upload an invoice' : 'Review invoice', 24),
    submit: plain(upload ? 'Next' : p.autoSync ? 'Sync to QuickBooks' : 'Save', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

/** A modal with a message and no inputs: loading, done, not allowed… */
export function messageModal(title: string, text: string, o: { callbackId?: string; close?: string } = {}): any {
  return {
    type: 'modal',
    callback_id: o.callbackId ?? 'review_message',
    title: plain(title, 24),
    close: plain(o.close ?? 'Close', 24),
    blocks: [{ type: 'section', block_id: 'review_message', text: mrkdwn(text) }],
  };
}

/** While the file is read; with `reading`, what it is and how far ("Reading your scan… page 2 of 6"). */
export const loadingModal = (fileName?: string, reading?: ReadingState | null) =>
  messageModal(
    'Reading invoice…',
    reading
      ? `${readingLine(reading)}\n${fileName ? `*${esc(fileName)}* — ` : ''}a photo or a scan takes a few seconds a page.`
      : `:hourglass_flowing_sand: Reading ${fileName ? `*${esc(fileName)}*` : 'the file'}… this takes a few seconds.`,
    { callbackId: 'review_loading' },
  );
