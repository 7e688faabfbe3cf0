/** The review form's format checks (zod) and the amount and date parsers they use: plain data, keyed by field. */
import { z } from 'zod';
import { MAX_DOC_NUMBER, MAX_PRIVATE_NOTE } from '../qbo/mapping.ts';

/** "1,234.5" / "$1234.50" → 123450; null when it is not an amount with at most two decimals. */
export function parseAmountCents(raw: string): number | null {
  const s = raw.replace(/[\s$]/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d && y >= 1900 && y <= 2100;
}

/** What a format check can find wrong, by code (the words are in src/slack/copy/review.ts). */
export type FormatCode =
  | 'type_missing'
  | 'amount_missing'
  | 'amount_format'
  | 'amount_not_positive'
  | 'number_too_long'
  | 'date_unreal'
  | 'due_before_date'
  | 'memo_too_long';

const code = (c: FormatCode) => c;

const amountSchema = z
  .string({ error: code('amount_missing') })
  .refine((s) => parseAmountCents(s) !== null, code('amount_format'))
  .transform((s) => parseAmountCents(s)!)
  .refine((c) => c > 0, code('amount_not_positive'));
const dateSchema = z.string().refine(isRealDate, code('date_unreal')).nullable();

/** Format checks (zod): each issue's message is its FormatCode, and lands on its own field. */
export const formSchema = z
  .object({
    type: z.enum(['Bill', 'Expense'], { error: code('type_missing') }),
    amount: amountSchema.nullable(),
    number: z.string().max(MAX_DOC_NUMBER, code('number_too_long')).nullable(),
    date: dateSchema,
    due: dateSchema,
    memo: z.string().max(MAX_PRIVATE_NOTE, code('memo_too_long')).nullable(),
  })
  .superRefine((o, ctx) => {
    if (o.date && o.due && isRealDate(o.date) && isRealDate(o.due) && o.due < o.date)
      ctx.addIssue({ code: 'custom', path: ['due'], message: code('due_before_date') });
  });
