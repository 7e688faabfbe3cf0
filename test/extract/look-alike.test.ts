/**
 * One table of OCR's look-alike characters serves every rule that puts a misread character back: digits inside a
 * shop's name, a misread legal form, a one-letter spelling vote, and letters read inside a date. Each rule believes
 * the confusions OCR makes on clean print on their own, and worn print's only when other printings agree.
 */
import { describe, expect, it } from 'vitest';
import { findDates, resolveDate } from '../../src/invoices/extract/dates.ts';
import { DIGIT_FOR_LETTER, LETTER_FOR_DIGIT, lettersConfused, lookAlikes } from '../../src/invoices/extract/look-alike.ts';
import { cleanName, majoritySpelling, repairLegalForm } from '../../src/invoices/extract/vendor-names.ts';

const dateIn = (text: string) => {
  const m = findDates(text)[0];
  return m ? resolveDate(m, 'DMY') : null;
};

describe('one table of look-alike characters', () => {
  it('reads each sharp look-alike both ways: a "B" read as 8 in a name, an 8 read as "B" in a date', () => {
    expect(lookAlikes('b', (c) => c.sharp)).toEqual(expect.arrayContaining(['8', 'e']));
    expect(LETTER_FOR_DIGIT.get('8')).toBe('B');
    expect(DIGIT_FOR_LETTER.get('b')).toBe('8');
    // A digit stands for the letter listed first with it: 0 is an "O" in a name, and both "o" and "d" are 0 in a number.
    expect(LETTER_FOR_DIGIT.get('0')).toBe('O');
    expect([DIGIT_FOR_LETTER.get('o'), DIGIT_FOR_LETTER.get('d')]).toEqual(['0', '0']);
    // Worn print's letters are spelling votes, never a digit.
    expect(lettersConfused('u', 'o')).toBe(true);
    expect(lettersConfused('r', 'd')).toBe(false);
    expect(DIGIT_FOR_LETTER.has('u')).toBe(false);
  });

  it('puts back the digits OCR read inside a capitalised name, a "G" read as 6 too', () => {
    expect(cleanName('MR. D.1.Y. (M) SDN BHD')).toBe('MR. D.I.Y. (M) SDN BHD');
    expect(cleanName('C0NCRETE WORKS')).toBe('CONCRETE WORKS');
    expect(cleanName('SIN6APORE TRADING')).toBe('SINGAPORE TRADING');
    // Not a number beside a word, nor a model number.
    expect(cleanName('99 SPEED MART')).toBe('99 SPEED MART');
    expect(cleanName('3M Malaysia')).toBe('3M Malaysia');
  });

  it('repairs a legal form only with the confusions of clean print, votes a spelling with worn print’s too', () => {
    expect(repairLegalForm('Harbour Tools Sdn.Ehd')).toBe('Harbour Tools Sdn.Bhd');
    // "H" read as "N" happens on worn print only: not enough, alone, to call "Sdn Bnd" a legal form.
    expect(repairLegalForm('Harbour Tools Sdn Bnd')).toBe('Harbour Tools Sdn Bnd');
    // …but two other printings of "HARBOUR" outvote the header's "HARBOOR".
    expect(majoritySpelling('HARBOOR TOOLS', 'HARBOOR TOOLS\nHARBOUR TOOLS SDN BHD\nwww.harbour.my')).toBe('HARBOUR TOOLS');
  });

  it('reads a date with letters OCR read for its digits, and leaves words alone', () => {
    expect(dateIn('Date : O9/O3/2Ol8')).toBe('2018-03-09');
    expect(dateIn('Date: 1s/03/2018')).toBe('2018-03-15');
    expect(dateIn('Date: 12/O3/2OI8 10:22')).toBe('2018-03-12');
    // Too few real digits: not a date.
    expect(dateIn('Lot ol/is/bog')).toBeNull();
  });
});
