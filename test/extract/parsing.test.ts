import { describe, expect, it } from 'vitest';
import { currencyFromCountries, currencyIn, dominantCurrency } from '../../src/invoices/extract/currency.ts';
import { detectDateOrder, findDates, parseDate, resolveDate } from '../../src/invoices/extract/dates.ts';
import { detectDecimalMark, findAmounts, parseNumber } from '../../src/invoices/extract/numbers.ts';

describe('numbers', () => {
  it.each([
    ['1,234.56', '.', 1234.56],
    ['1.234,56', ',', 1234.56],
    ['1 234,56', ',', 1234.56],
    ["1'234.50", '.', 1234.5],
    ['1234', '.', 1234],
    ['4.904,94', ',', 4904.94],
    ['2.321,00', '.', 2321],
    ['9,9000', ',', 9.9],
    ['1,939', '.', 1939],
    ['1.939', ',', 1939],
    ['1,939', ',', 1.939],
    ['(12.50)', '.', -12.5],
    ['-8,79', ',', -8.79],
    ['12.50-', '.', -12.5],
    ['3.441.812', ',', 3441812],
  ] as const)('parseNumber(%s, %s) = %s', (raw, mark, want) => {
    expect(parseNumber(raw, mark)).toBeCloseTo(want, 6);
  });

  it('finds amounts and skips dates, percentages and ids', () => {
    const got = findAmounts('Tax 15% on $ 112.90 $ 16.94 due 03/20/2023 ref INV2023', '.').map((a) => a.value);
    expect(got).toEqual([112.9, 16.94]);
  });

  it('reads a sign written before the currency', () => {
    expect(findAmounts('Total -$412.35', '.').map((a) => a.value)).toEqual([-412.35]);
    expect(findAmounts('Saldo − € 12,00', ',').map((a) => a.value)).toEqual([-12]);
  });

  it('detects the decimal mark of a document', () => {
    expect(detectDecimalMark('Total € 717,97\nBTW € 124,61')).toBe(',');
    expect(detectDecimalMark('Subtotal $1,234.56\nTax $10.00')).toBe('.');
    expect(detectDecimalMark('Datum 05.03.2018 Betrag 1.234,56')).toBe(',');
  });
});

describe('dates', () => {
  it.each([
    ['Invoice Date: August 3 , 2014', 'MDY', '2014-08-03'],
    ['Jan 31, 2022', 'MDY', '2022-01-31'],
    ['7. Mai 2014', 'DMY', '2014-05-07'],
    ['du 02 Juillet 2015', 'DMY', '2015-07-02'],
    ['19 april 2014', 'DMY', '2014-04-19'],
    ['29 maart 2014', 'DMY', '2014-03-29'],
    ['1er février 2024', 'DMY', '2024-02-01'],
    ['15-Mar-2024', 'MDY', '2024-03-15'],
    ['2024-11-02', 'MDY', '2024-11-02'],
    ['05.03.2018', 'DMY', '2018-03-05'],
    ['03/04/2025', 'MDY', '2025-03-04'],
    ['03/04/2025', 'DMY', '2025-04-03'],
    ['20-10-2015', 'MDY', '2015-10-20'],
    ['8-9-2022', 'DMY', '2022-09-08'],
    ['21.05.14', 'DMY', '2014-05-21'],
    ['12 de marzo de 2024', 'DMY', '2024-03-12'],
    ['3rd March 2020', 'DMY', '2020-03-03'],
  ] as const)('%s (%s) → %s', (text, order, want) => {
    expect(parseDate(text, order)).toBe(want);
  });

  it('keeps ambiguous numeric dates open until the document decides', () => {
    const [m] = findDates('Date: 04/05/2024');
    expect(resolveDate(m, 'MDY')).toBe('2024-04-05');
    expect(resolveDate(m, 'DMY')).toBe('2024-05-04');
  });

  it('decides day/month order from the rest of the document', () => {
    expect(detectDateOrder('Date 04/05/2024 ... Due 04/20/2024', 'DMY')).toBe('MDY');
    expect(detectDateOrder('Date 04/05/2024 ... Due 20/05/2024', 'MDY')).toBe('DMY');
    expect(detectDateOrder('Datum 04.05.2024', 'MDY')).toBe('DMY');
    expect(detectDateOrder('Date 04/05/2024', 'MDY')).toBe('MDY');
  });

  it('ignores non-dates', () => {
    expect(findDates('Invoice 2022089083, qty 12/15, 1.234,56')).toEqual([]);
    expect(parseDate('31/02/2024')).toBeNull();
  });
});

describe('currency', () => {
  it('reads symbols, prefixed dollars, codes and words', () => {
    expect(currencyIn('Total € 717,97')).toBe('EUR');
    expect(currencyIn('Total $4.11')).toBe('USD');
    expect(currencyIn('Total CA$ 12.00')).toBe('CAD');
    expect(currencyIn('Grand Total Rs 1939')).toBe('INR');
    expect(currencyIn('Total EUR 34,73')).toBe('EUR');
    expect(currencyIn('Total £2,520.00')).toBe('GBP');
    expect(currencyIn("Total CHF 1'329.55")).toBe('CHF');
    expect(currencyIn('Total (AUD) $3,520.00')).toBe('AUD');
    expect(currencyIn('All charges are in US Dollars')).toBe('USD');
    expect(currencyIn('Total 12.00')).toBeNull();
  });

  it('does not take weekday abbreviations or words for currencies', () => {
    expect(dominantCurrency('Mo.-Fr. 08.30 - 12.30 Uhr')).toBeNull();
    expect(dominantCurrency('EURO 5 und Euro 6 und € 7 und USD 1')).toBe('EUR');
  });

  it('falls back to the countries and addresses a document names', () => {
    expect(currencyFromCountries('Lucknow 226010 Uttar Pradesh, India')).toBe('INR');
    expect(currencyFromCountries('509 Route 9W, Newburgh, NY 12550')).toBe('USD');
    expect(currencyFromCountries('80333 München, Deutschland')).toBe('EUR');
    expect(currencyFromCountries('nothing here')).toBeNull();
  });
});
