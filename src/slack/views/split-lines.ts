/**
 * The review modal's split lines (issue 14), as pure Block Kit: per line a Description, Amount, Project and Cost code
 * input (4 blocks, so 20 lines fit Slack's 100 blocks with the modal's other fields), then one actions block: *Add
 * line*, *Remove line* (a select of the lines), *Merge per cost code*, *One line*. Block ids carry a revision, bumped
 * on every change, so Slack does not carry a removed line's typed values over to the line that takes its place; the
 * pickers keep the review modal's action ids, so the same suggestions answer them.
 */
import { MAX_MODAL_LINES, type SplitRow } from '../../invoices/split.ts';
import { esc, mrkdwn, option, plain, truncate, MAX_OPTION_TEXT } from './common.ts';

export const SPLIT_ACTION = {
  start: 'split_start',
  add: 'split_add',
  remove: 'split_remove',
  merge: 'split_merge',
  off: 'split_off',
} as const;

/** Same action ids as the single-line pickers (review_project / review_cost_code). */
const PICKER = { project: 'review_project', costCode: 'review_cost_code' } as const;
const AMOUNT_ACTION = 'split_amount';
const DESCRIPTION_ACTION = 'split_description';

export const splitBlockId = (rev: number, i: number, part: 'd' | 'a' | 'p' | 'c') => `split_${part}_${rev}_${i}`;
export const SPLIT_ACTIONS_BLOCK = 'split_actions';
export const SPLIT_TOTAL_BLOCK = 'split_total';

/** A split line as the modal shows it: ids plus the labels the pickers show. */
export interface SplitViewRow extends SplitRow {
  projectLabel?: string | null;
  costCodeLabel?: string | null;
}

export interface SplitView {
  rev: number;
  rows: SplitViewRow[];
  /** How the lines were grouped to fit, if they were. */
  note?: string | null;
}

const amountText = (c: number | null) => (c == null ? undefined : (c / 100).toFixed(2));

function picker(actionId: string, placeholder: string, id: string | null, label: string | null | undefined) {
  return {
    type: 'external_select',
    action_id: actionId,
    placeholder: plain(placeholder, 150),
    min_query_length: 0,
    ...(id && label ? { initial_option: option(truncate(label, MAX_OPTION_TEXT), id) } : {}),
  };
}

function lineBlocks(rev: number, i: number, r: SplitViewRow): any[] {
  const n = i + 1;
  return [
    {
      type: 'input',
      block_id: splitBlockId(rev, i, 'd'),
      label: plain(`Line ${n} description`),
      optional: true,
      element: {
        type: 'plain_text_input',
        action_id: DESCRIPTION_ACTION,
        max_length: 200,
        ...(r.description ? { initial_value: r.description.slice(0, 200) } : {}),
      },
    },
    {
      type: 'input',
      block_id: splitBlockId(rev, i, 'a'),
      label: plain(`Line ${n} amount`),
      element: {
        type: 'plain_text_input',
        action_id: AMOUNT_ACTION,
        placeholder: plain('0.00'),
        ...(r.amountCents != null ? { initial_value: amountText(r.amountCents) } : {}),
      },
    },
    {
      type: 'input',
      block_id: splitBlockId(rev, i, 'p'),
      label: plain(`Line ${n} project`),
      optional: true,
      element: picker(PICKER.project, 'Choose a project', r.projectId, r.projectLabel),
    },
    {
      type: 'input',
      block_id: splitBlockId(rev, i, 'c'),
      label: plain(`Line ${n} cost code`),
      optional: true,
      element: picker(PICKER.costCode, 'Choose a cost code', r.costCodeId, r.costCodeLabel),
    },
  ];
}

const button = (text: string, actionId: string, value?: string) => ({
  type: 'button',
  text: plain(text, 75),
  action_id: actionId,
  ...(value ? { value } : {}),
});

/** The split section: a heading, the grouping note, the lines, and the actions. */
export function splitBlocks(s: SplitView, fmt: (cents: number) => string, totalCents: number | null): any[] {
  const sum = s.rows.reduce((t, r) => t + (r.amountCents ?? 0), 0);
  const status =
    totalCents == null ? '' : sum === totalCents ? ' — they add up to the total.' : ` — they add up to ${fmt(sum)} of ${fmt(totalCents)}.`;
  const blocks: any[] = [
    {
      type: 'section',
      block_id: SPLIT_TOTAL_BLOCK,
      text: mrkdwn(
        `*Split into ${s.rows.length} lines*${status} Each line has its own project and cost code; together they must equal the amount above.`,
      ),
    },
  ];
  if (s.note) blocks.push({ type: 'context', block_id: 'split_note', elements: [mrkdwn(`:information_source: ${esc(s.note)}`)] });
  s.rows.forEach((r, i) => blocks.push(...lineBlocks(s.rev, i, r)));
  const elements: any[] = [];
  if (s.rows.length < MAX_MODAL_LINES) elements.push(button('Add line', SPLIT_ACTION.add));
  if (s.rows.length > 1) {
    elements.push({
      type: 'static_select',
      action_id: SPLIT_ACTION.remove,
      placeholder: plain('Remove line…'),
      options: s.rows.map((r, i) => option(truncate(`Line ${i + 1}${r.description ? `: ${r.description}` : ''}`, MAX_OPTION_TEXT), String(i))),
    });
    elements.push(button('Merge per cost code', SPLIT_ACTION.merge));
  }
  elements.push(button('One line', SPLIT_ACTION.off));
  blocks.push({ type: 'actions', block_id: SPLIT_ACTIONS_BLOCK, elements });
  return blocks;
}

/** The *Split* button shown under the single-line fields. */
export function splitStartBlock(): any {
  return { type: 'actions', block_id: 'split_start_actions', elements: [button('Split', SPLIT_ACTION.start)] };
}

type StateValues = Record<string, Record<string, any>>;

/** The lines as typed, read back from the view's state (amounts parsed by `parse`, null when not an amount). */
export function readSplitState(values: StateValues, rev: number, count: number, parse: (s: string) => number | null): SplitViewRow[] {
  const rows: SplitViewRow[] = [];
  for (let i = 0; i < count; i++) {
    const d = values[splitBlockId(rev, i, 'd')]?.[DESCRIPTION_ACTION]?.value;
    const a = values[splitBlockId(rev, i, 'a')]?.[AMOUNT_ACTION]?.value;
    const p = values[splitBlockId(rev, i, 'p')]?.[PICKER.project]?.selected_option;
    const c = values[splitBlockId(rev, i, 'c')]?.[PICKER.costCode]?.selected_option;
    rows.push({
      description: typeof d === 'string' ? d.trim() : '',
      amountCents: typeof a === 'string' && a.trim() ? parse(a.trim()) : null,
      projectId: p?.value ?? null,
      projectLabel: p?.text?.text ?? null,
      costCodeId: c?.value ?? null,
      costCodeLabel: c?.text?.text ?? null,
    });
  }
  return rows;
}

/** A line's amount field, for `response_action: errors`. */
export const amountBlockOf = (rev: number, i: number) => splitBlockId(rev, i, 'a');
export const pickerBlockOf = (rev: number, i: number, kind: 'project' | 'cost_code') => splitBlockId(rev, i, kind === 'project' ? 'p' : 'c');
