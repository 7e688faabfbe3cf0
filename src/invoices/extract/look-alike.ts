/**
 * The one table of characters OCR reads for one another by their shape, and the views each rule needs of it: the
 * vendor rules (vendor-names.ts: digits read inside a name, misread legal forms, one-letter spelling votes) and the
 * date rules (dates.ts: letters read inside a date, digits worth a second look).
 */

/** Two characters (lower case) OCR confuses. `sharp`: OCR does so even on clean print, so it is believed alone. */
export interface Confusion {
  a: string;
  b: string;
  sharp: boolean;
}

const pairs = (list: string, sharp: boolean): Confusion[] => list.split(' ').map((p) => ({ a: p[0], b: p[1], sharp }));

/**
 * On clean print: "O"/"D" and 0, "I"/"L" and 1 or "|", "S" and 5 or "$", "B" and 8 or "E", "G" and 6, "D" and "O",
 * "I" and "L"; a 0, 6 or 8 for one another (closed loops), 3 and 8, 1 and 7. Only on worn or faded print: a "U" read
 * as "O", "H" as "N", "E" as "F" and the other letter pairs. A digit or sign stands first for the letter listed first
 * with it ("0" → "O", "1" → "I").
 */
export const CONFUSIONS: readonly Confusion[] = [
  ...pairs('o0 d0 i1 l1 s5 b8 g6 s$ i| l| 1| be od il', true),
  ...pairs('06 08 68 38 17 46', true),
  ...pairs('ou oq oc cg ce ef ij lt bh hn mn uv vy rp rk ao ae nu', false),
];

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\d/.test(c);

/** What OCR reads for `ch` (either side of a pair), among the confusions `keep` selects. */
export function lookAlikes(ch: string, keep: (c: Confusion) => boolean = () => true): string[] {
  const k = ch.toLowerCase();
  const out: string[] = [];
  for (const c of CONFUSIONS) {
    if (!keep(c)) continue;
    if (c.a === k) out.push(c.b);
    else if (c.b === k) out.push(c.a);
  }
  return out;
}

/** Two letters of one word OCR may have read for each other (a spelling vote: other printings decide). */
export function lettersConfused(x: string, y: string): boolean {
  return CONFUSIONS.some((c) => isLetter(c.a) && isLetter(c.b) && ((c.a === x && c.b === y) || (c.a === y && c.b === x)));
}

/** The letter (upper case) a digit OCR read inside a capitalised word stands for: 0 → O, 1 → I, 5 → S, 8 → B, 6 → G. */
export const LETTER_FOR_DIGIT: ReadonlyMap<string, string> = new Map(
  [...CONFUSIONS]
    .reverse()
    .filter((c) => c.sharp && isLetter(c.a) && isDigit(c.b))
    .map((c) => [c.b, c.a.toUpperCase()]),
);

/** The digit a letter or sign OCR read inside a number stands for: o/d → 0, i/l/| → 1, s → 5, b → 8, g → 6. */
export const DIGIT_FOR_LETTER: ReadonlyMap<string, string> = new Map(
  CONFUSIONS.filter((c) => c.sharp && isDigit(c.b) !== isDigit(c.a)).map((c) => (isDigit(c.a) ? [c.b, c.a] : [c.a, c.b])),
);

/** Digits OCR reads for `d` on clean print (a 6 for an 8, a 3 for an 8): a date holding one is worth a second look. */
export const digitLookAlikes = (d: string): string[] => lookAlikes(d, (c) => c.sharp && isDigit(c.a) && isDigit(c.b));
