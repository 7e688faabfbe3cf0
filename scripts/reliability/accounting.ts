import type { TrialsState } from './crash-trials.ts';
import type { World } from './world.ts';

/**
 * What a run left behind, counted from the outside: QuickBooks' transactions (the emulator's books), the app's
 * database, and the files people shared. One shared invoice should be exactly one transaction with its file attached.
 */
export interface Books {
  invoices: number;
  transactionsExpected: number;
  transactionsFound: number;
  duplicates: number;
  lost: number;
  stuck: number;
  attachmentsMissing: number;
  /** Per-invoice detail for whatever went wrong, to reproduce. */
  problems: string[];
}

export function countBooks(world: World, state: TrialsState): Books {
  const rows = world.rows();
  const txns = [...world.qbo.entities(world.realmId, 'Bill'), ...world.qbo.entities(world.realmId, 'Purchase')];
  const attached = new Set(
    world.qbo
      .entities(world.realmId, 'Attachable')
      .flatMap((a) => (a.AttachableRef ?? []).map((r: { EntityRef?: { value?: string } }) => String(r.EntityRef?.value))),
  );
  const books: Books = {
    invoices: state.tracked.length,
    transactionsExpected: state.tracked.length,
    transactionsFound: 0,
    duplicates: 0,
    lost: 0,
    stuck: 0,
    attachmentsMissing: 0,
    problems: [],
  };
  for (const t of state.tracked) {
    const mine = txns.filter((x) => x.DocNumber === t.number);
    const stored = rows.filter((r) => r.slack_file_id === t.fileId);
    if (mine.length) books.transactionsFound++;
    books.duplicates += Math.max(0, mine.length - 1) + Math.max(0, stored.length - 1);
    const unattached = mine.filter((x) => !attached.has(String(x.Id))).length;
    books.attachmentsMissing += unattached;
    if (!stored.length && !mine.length) books.lost++;
    const notDone = stored.filter((r) => r.status !== 'synced');
    if (notDone.length) books.stuck++;
    if (mine.length !== 1 || stored.length !== 1 || notDone.length || unattached) {
      books.problems.push(
        `${t.number}: ${mine.length} transaction(s), ${stored.length} row(s) [${stored.map((r) => `${r.status}${r.extraction_error ? `:${r.extraction_error}` : ''}`).join(', ')}], ${unattached} unattached`,
      );
    }
  }
  return books;
}
