/**
 * Split lines, as pure data: where a split starts from (the lines read from the file, or one blank row), merging per
 * cost code, grouping past what a Slack modal holds, the check that lines add up to the total to the cent, and the
 * one-line summary the card, the DM and App Home show. No I/O, no Slack.
 */

export interface SplitRow {
  description: string;
  amountCents: number | null;
  projectId: string | null;
  costCodeId: string | null;
}

/** A line as the reader returns it (amounts in currency units). */
export interface ReadLine {
  description: string;
  amount: number;
}

/**
 * Lines a review modal shows at most. Each line takes 4 blocks (heading with *Remove*, amount, project, cost code);
 * 20 lines leave room for the modal's other fields within Slack's 100 blocks.
 */
export const MAX_MODAL_LINES = 20;
/** A Slack text input's useful length for a line's description (QBO allows 4,000). */
export const MAX_DESCRIPTION = 200;

const OTHER_CHARGES = 'Tax and other charges';

export const toCents = (amount: number) => Math.round(amount * 100);

/** "2,100.00", "$2,100", "2100.5" → cents; null for anything else (no negatives: a split line is never below 0). */
export function parseAmountCents(text: string | null | undefined): number | null {
  const s = (text ?? '')
    .trim()
    .replace(/^\$\s*/, '')
    .replace(/,(?=\d{3}(?:\D|$))/g, '');
  if (!/^\d+(?:\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/**
 * Where *Split* starts: the lines read from the file (positive amounts), topped up with a "Tax and other charges"
 * line when they add up to less than the total; without usable lines, the full amount and one blank row.
 * Every row gets the defaults (the channel's project, the preselected cost code).
 */
export function startSplit(
  totalCents: number | null,
  read: ReadLine[],
  defaults: { projectId: string | null; costCodeId: string | null },
): SplitRow[] {
  const row = (description: string, amountCents: number | null): SplitRow => ({ description, amountCents, ...defaults });
  const rows = read.map((l) => row(l.description.trim().slice(0, MAX_DESCRIPTION), toCents(l.amount))).filter((r) => (r.amountCents ?? 0) > 0);
  const sum = rows.reduce((s, r) => s + (r.amountCents ?? 0), 0);
  if (rows.length === 0 || totalCents === null || sum > totalCents) return [row('', totalCents), row('', null)];
  if (sum < totalCents) rows.push(row(OTHER_CHARGES, totalCents - sum));
  return rows;
}

/** One row per project and cost code, in the order they first appear; descriptions joined, amounts summed. */
export function mergeByCostCode(rows: SplitRow[]): SplitRow[] {
  const groups = new Map<string, { first: SplitRow; descriptions: string[]; cents: number; count: number }>();
  for (const r of rows) {
    const key = JSON.stringify([r.projectId, r.costCodeId]);
    const g = groups.get(key);
    if (g) {
      g.cents += r.amountCents ?? 0;
      g.count++;
      if (r.description) g.descriptions.push(r.description);
    } else {
      groups.set(key, { first: r, descriptions: r.description ? [r.description] : [], cents: r.amountCents ?? 0, count: 1 });
    }
  }
  return [...groups.values()].map((g) => ({
    ...g.first,
    description: g.count === 1 ? g.first.description : describeMany(g.descriptions),
    amountCents: g.count === 1 ? g.first.amountCents : g.cents,
  }));
}

function describeMany(descriptions: string[]): string {
  if (descriptions.length === 0) return '';
  const joined = descriptions.join(' · ');
  if (joined.length <= MAX_DESCRIPTION) return joined;
  const first = descriptions[0].slice(0, MAX_DESCRIPTION - 20);
  return `${first} and ${descriptions.length - 1} more`;
}

export interface Grouped {
  rows: SplitRow[];
  /** What was done to fit, in plain words; null when nothing was. */
  note: string | null;
}

/**
 * Past MAX_MODAL_LINES: the first lines stay as read and the rest become one line (lines read from a file all start
 * with the same project and cost code, so merging them per cost code would leave one). The amounts still add up to
 * the same total; *Merge per cost code* is there once lines are coded.
 */
export function groupForModal(rows: SplitRow[], max = MAX_MODAL_LINES): Grouped {
  if (rows.length <= max) return { rows, note: null };
  const keep = rows.slice(0, max - 1);
  const rest = rows.slice(max - 1);
  const restRow: SplitRow = {
    description: `${rest.length} more lines (${truncateList(rest.map((r) => r.description).filter(Boolean))})`.slice(0, MAX_DESCRIPTION),
    amountCents: rest.reduce((s, r) => s + (r.amountCents ?? 0), 0),
    projectId: rest[0].projectId,
    costCodeId: rest.every((r) => r.costCodeId === rest[0].costCodeId) ? rest[0].costCodeId : null,
  };
  return {
    rows: [...keep, restRow],
    note: `This invoice has ${rows.length} lines, more than a Slack form holds (${max}): the last ${rest.length} are grouped as line ${max} — code it, or split it further in QuickBooks.`,
  };
}

function truncateList(items: string[]): string {
  const s = items.join(', ');
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

export type SplitErrors = Record<string, string>;

/**
 * Errors per line (keyed `amount:<i>`) and for the whole split (`total`); empty when the lines are fine. A line needs
 * an amount above zero; all lines must add up to the total to the cent.
 */
export function checkSplit(rows: SplitRow[], totalCents: number | null, fmt: (cents: number) => string): SplitErrors {
  const errors: SplitErrors = {};
  rows.forEach((r, i) => {
    if (r.amountCents === null) errors[`amount:${i}`] = 'Enter an amount such as 1250.00';
    else if (r.amountCents <= 0) errors[`amount:${i}`] = 'A line must be more than zero; remove it instead';
  });
  if (Object.keys(errors).length > 0 || totalCents === null) return errors;
  const sum = rows.reduce((s, r) => s + (r.amountCents ?? 0), 0);
  if (sum !== totalCents) {
    const diff = totalCents - sum;
    errors.total = `The lines add up to ${fmt(sum)}, not the invoice total ${fmt(totalCents)} (${fmt(Math.abs(diff))} ${diff > 0 ? 'short' : 'over'}).`;
  }
  return errors;
}

/** "3 lines: Oak St $2,100.00 · Elm Ave $1,250.00 · Materials $90.00" (at most `shown` named, then "…"). */
export function splitSummary(lines: Array<{ label: string; amountCents: number }>, fmt: (cents: number) => string, shown = 3): string | null {
  if (lines.length < 2) return null;
  const parts = lines.slice(0, shown).map((l) => `${l.label} ${fmt(l.amountCents)}`);
  if (lines.length > shown) parts.push('…');
  return `${lines.length} lines: ${parts.join(' · ')}`;
}
