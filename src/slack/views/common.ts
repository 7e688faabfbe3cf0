import type { ListItem } from '../../qbo/lists.ts';

/** Small Block Kit helpers shared by every view. Slack's limits: option text/value ≤ 75 chars, ≤ 100 options. */

export const MAX_OPTION_TEXT = 75;
export const MAX_OPTIONS = 100;

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export const plain = (text: string, max = 3000) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });
export const mrkdwn = (text: string, max = 3000) => ({ type: 'mrkdwn' as const, text: truncate(text, max) });

export interface Option {
  text: { type: 'plain_text'; text: string; emoji?: boolean };
  value: string;
}

export function option(text: string, value: string): Option {
  if (value.length > MAX_OPTION_TEXT) throw new Error(`option value too long: ${value}`);
  return { text: plain(text, MAX_OPTION_TEXT), value };
}

/** "Visa Business (Credit Card)": accounts are shown with their type. */
export function accountLabel(a: Pick<ListItem, 'fullName' | 'type'>): string {
  const type = a.type ? ` (${a.type})` : '';
  return truncate(a.fullName, MAX_OPTION_TEXT - type.length) + type;
}

/** A QBO list row as a select option; value = the QBO id. */
export function listOption(item: ListItem): Option {
  const text = item.entity === 'Account' ? accountLabel(item) : item.entity === 'Customer' ? item.fullName : item.fullName;
  return option(text, item.id);
}

/** Escapes user-supplied text for mrkdwn (Slack's three control characters). */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One formatter per currency: building an Intl.NumberFormat costs far more than formatting with it (every card). */
const MONEY = new Map<string, Intl.NumberFormat>();

export function money(cents: number | null | undefined, currency = 'USD'): string {
  if (cents == null) return '—';
  try {
    let f = MONEY.get(currency);
    if (!f) {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
      if (MONEY.size < 200) MONEY.set(currency, f);
    }
    return f.format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}
