import { normalizeName } from '../vendor-name.ts';

/**
 * How an extracted field is judged against an expected value (benchmark and tests):
 * total within 0.01; dates exact; invoice number ignoring case, spaces and a leading '#';
 * vendor when the normalised names (src/invoices/vendor-name.ts) match or one contains the other.
 */

export type MatchField = 'vendor' | 'invoiceNumber' | 'invoiceDate' | 'dueDate' | 'total' | 'currency';

export function fieldMatches(field: MatchField, expected: unknown, got: unknown): boolean {
  if (got === null || got === undefined) return false;
  switch (field) {
    case 'total':
      return Math.abs(Number(expected) - Number(got)) <= 0.01 + 1e-9;
    case 'invoiceNumber': {
      const n = (s: unknown) => String(s).toLowerCase().replace(/\s+/g, '').replace(/^#/, '');
      return n(expected) === n(got);
    }
    case 'vendor': {
      const a = normalizeName(String(expected)).join(' ');
      const b = normalizeName(String(got)).join(' ');
      return a.length > 0 && b.length > 0 && (a === b || a.includes(b) || b.includes(a));
    }
    case 'currency':
      return String(expected).toUpperCase() === String(got).toUpperCase();
    default:
      return expected === got;
  }
}
