/**
 * How a confirmed invoice is coded in QuickBooks beyond one line (issue 14): its split lines (each with its own
 * project and cost code, which obey the same linking rules as the invoice's), and whether it is a credit note
 * (booked as a VendorCredit, for its amount as a positive number). Plain data in and out; the sync engine calls it.
 */
import { type CostCodeRef, type MappingInput, type SplitLineInput, toTransaction, toVendorCredit } from '../qbo/mapping.ts';
import type { InvoiceLine } from '../store/invoice-lines.ts';

export type DocumentType = 'invoice' | 'credit_note';
export type BookedEntity = 'Bill' | 'Purchase' | 'VendorCredit';

/** What the coding needs of a project or cost-code profile. */
export interface LineProfile {
  id: number;
  kind: 'project' | 'cost_code';
  name: string;
  qboId: string | null;
  qboEntity: 'Customer' | 'Item' | 'Account' | null;
  qboName: string | null;
}
export type ProfileLookup = (id: number) => LineProfile | null | undefined | Promise<LineProfile | null | undefined>;

/** Same shape as the sync engine's blocker: a machine key, plain words, what to do. */
export interface LineBlocker {
  cause: string;
  reason: string;
  fix: string;
}

const KIND_WORD = { project: 'project', cost_code: 'cost code' } as const;

/** A credit note, as the reader said (XML type code 381, a "Credit note"/"Gutschrift"/"Avoir" title, a negative total). */
export function documentTypeOf(extracted: Record<string, unknown> | null | undefined): DocumentType {
  return extracted?.documentType === 'credit_note' ? 'credit_note' : 'invoice';
}

/** The amount to book: a credit note's total is booked as a positive amount (QBO refuses negative lines). */
export function bookedTotal(total: number | null | undefined, documentType: DocumentType | undefined): number | null {
  if (total == null) return null;
  return documentType === 'credit_note' ? Math.abs(total) : total;
}

export function bookedEntity(txnType: 'Bill' | 'Expense', documentType: DocumentType): BookedEntity {
  if (documentType === 'credit_note') return 'VendorCredit';
  return txnType === 'Bill' ? 'Bill' : 'Purchase';
}

/** The QBO entity and body for an invoice: a VendorCredit for a credit note, else its Bill or Purchase. */
export function transactionFor(input: MappingInput, documentType: DocumentType): { entity: BookedEntity; body: Record<string, unknown> } {
  if (documentType === 'credit_note') return { entity: 'VendorCredit', body: toVendorCredit(input) };
  return toTransaction(input);
}

function costCodeRef(p: LineProfile): CostCodeRef {
  return { entity: p.qboEntity === 'Item' ? 'Item' : 'Account', id: p.qboId!, name: p.qboName ?? undefined };
}

/**
 * The split lines as mapping input, each line's profiles resolved. A deleted or unlinked profile on any line blocks
 * the invoice, naming it (the same causes as the invoice's own project and cost code, so linking it resumes it).
 */
export async function splitLinesFor(
  lines: InvoiceLine[],
  profile: ProfileLookup,
): Promise<{ ok: true; lines: SplitLineInput[] } | { ok: false; blocker: LineBlocker }> {
  const out: SplitLineInput[] = [];
  for (const [i, l] of lines.entries()) {
    const resolved: Partial<Record<'project' | 'cost_code', LineProfile>> = {};
    for (const [kind, id] of [
      ['project', l.projectProfileId],
      ['cost_code', l.costCodeProfileId],
    ] as const) {
      if (id == null) continue;
      const p = await profile(id);
      if (!p)
        return {
          ok: false,
          blocker: {
            cause: `missing:${kind}:${id}`,
            reason: `The ${KIND_WORD[kind]} on line ${i + 1} was deleted`,
            fix: `Choose another ${KIND_WORD[kind]} for that line.`,
          },
        };
      if (!p.qboId) {
        return {
          ok: false,
          blocker: {
            cause: `unlinked:${kind}:${p.id}`,
            reason: `The ${KIND_WORD[kind]} "${p.name}" (line ${i + 1}) is not linked to QuickBooks`,
            fix: 'An admin can link it in `/qbo settings` → Link projects & cost codes; the invoice then syncs by itself.',
          },
        };
      }
      resolved[kind] = p;
    }
    out.push({
      amountCents: l.amountCents ?? 0,
      description: l.description || null,
      project: resolved.project ? { customerId: resolved.project.qboId!, name: resolved.project.qboName ?? undefined } : null,
      costCode: resolved.cost_code ? costCodeRef(resolved.cost_code) : null,
    });
  }
  return { ok: true, lines: out };
}

/** The memo with the invoice's own number taken out, so it fits the next invoice: "Lumber for {number}". */
export function memoPattern(memo: string | null | undefined, invoiceNumber: string | null | undefined): string | null {
  const m = (memo ?? '').trim();
  if (!m) return null;
  return invoiceNumber ? m.split(invoiceNumber).join('{number}') : m;
}

/** A memo pattern filled in for an invoice. */
export function memoFor(pattern: string | null | undefined, invoiceNumber: string | null | undefined): string | null {
  if (!pattern) return null;
  return (
    pattern
      .split('{number}')
      .join(invoiceNumber ?? '')
      .trim() || null
  );
}
