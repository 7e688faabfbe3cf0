/**
 * A second look at an OCR'd issue date when the first reading is doubtful (a word of it read with low confidence, or
 * the date broken into pieces): its line is read again alone, twice, and the date changes only when both looks agree
 * on another plausible date — then a person is asked to check it. A sure reading is not looked at again.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { dateOfLine, doubtful, findDateSpot, lostDate, secondLookAtDate, verdict } from '../../src/invoices/extract/date-look.ts';
import { closeExtractor } from '../../src/invoices/extract/index.ts';
import { buildLayout } from '../../src/invoices/extract/layout.ts';
import type { PageText, TextItem } from '../../src/invoices/extract/pdf.ts';
import { withPdf } from '../../src/invoices/extract/pdf.ts';
import { CHECK_BELOW, extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { mergePages, readScan, type ScanPage, type ScanResult } from '../../src/invoices/extract/scan.ts';

afterAll(() => closeExtractor());

const word = (str: string, x: number, y: number, conf = 96): TextItem => ({ str, x, y, w: str.length * 6, h: 12, conf });
const till = (date: TextItem[]): PageText => ({
  num: 1,
  width: 300,
  height: 500,
  items: [
    word('CORNER', 80, 40),
    word('HARDWARE', 130, 40),
    word('TOTAL', 20, 200),
    word('RM', 200, 200),
    word('37.80', 230, 200),
    ...date,
    word('13:42', 120, 260),
  ],
});
const spotOf = (p: PageText, date: string) => findDateSpot(buildLayout([p]), [p], date, 'DMY', '2018-01-01');

describe('which date readings get a second look', () => {
  it('a date read with low confidence, or broken into two words, is doubtful; a sure one is not', () => {
    const broken = spotOf(till([word('06-', 20, 260, 96), word('03-17', 42, 260)]), '2017-03-06');
    expect(broken?.words.map((w) => w.str)).toEqual(['06-', '03-17']);
    expect(broken && doubtful(broken)).toBe(true);
    const unsure = spotOf(till([word('06-03-17', 20, 260, 72)]), '2017-03-06');
    expect(unsure && doubtful(unsure)).toBe(true);
    const sure = spotOf(till([word('06-03-17', 20, 260, 95)]), '2017-03-06');
    expect(sure && doubtful(sure)).toBe(false);
  });
});

describe('what the second look decides', () => {
  it('reads the one plausible date of a re-read line, with the document’s day/month order', () => {
    expect(dateOfLine('| 08-03-17 13:42 SHOT BO28 T2 RO00017473 |', 'DMY', '2018-01-01')).toBe('2017-03-08');
    expect(dateOfLine('08-03-17 13:42', 'MDY', '2018-01-01')).toBe('2017-08-03');
    // A plausible date over one in the future; two different dates on the line are nothing to go on.
    expect(dateOfLine('08-03-19 08-03-17', 'DMY', '2018-01-01')).toBe('2017-03-08');
    expect(dateOfLine('08-03-17 to 09-03-17', 'DMY', '2018-01-01')).toBeNull();
  });

  it('changes the date only when two looks agree on another one before any reads the first again', () => {
    const v = (looks: (string | null)[]) => verdict('2017-03-06', looks, '2018-01-01');
    expect(v(['2017-03-08', '2017-03-08'])).toEqual({ v: 'changed', date: '2017-03-08' });
    expect(v(['2017-03-08', null, '2017-03-08'])).toEqual({ v: 'changed', date: '2017-03-08' });
    // A look that reads the first date confirms it; looks that disagree settle nothing.
    expect(v(['2017-03-06'])).toEqual({ v: 'kept' });
    expect(v(['2017-03-08', '2017-03-06', '2017-03-08'])).toEqual({ v: 'kept' });
    expect(v(['2017-03-08', '2017-09-08', null])).toEqual({ v: 'open' });
    // Never a date more than ten years back over a plausible first reading.
    expect(v(['2007-03-08', '2007-03-08'])).toEqual({ v: 'kept' });
  });
});

describe('a date the first pass lost', () => {
  it('is the one the sparse pass read at its place (a pen mark across it read as a word), marked to check', () => {
    const stamp = (date: string) => till([word('#001-0934', 20, 260), word(date, 90, 260, 40)]);
    const first = stamp('RITE');
    const sparse = stamp('05/01/2018');
    const read = (p: PageText[]) => extractFromLayout(buildLayout(p), { today: '2018-06-01' });
    // The merge keeps the first pass's word where both read one: the date stays lost.
    const merged = read(mergePages([first], [sparse]));
    expect(merged.invoiceDate).toBeNull();
    const found = lostDate(merged, read([sparse]));
    expect(found.invoiceDate).toBe('2018-01-05');
    expect(found.confidence.invoiceDate).toBeLessThan(CHECK_BELOW);
    expect(found.total).toBe(merged.total);
    // A date the first pass read is never replaced by the sparse pass's.
    expect(lostDate(read([stamp('06/01/2018')]), read([sparse])).invoiceDate).toBe('2018-01-06');
  });
});

/** A till receipt the test prints itself: shop, items, total and the sale's stamp "08-03-17 13:42". */
async function receiptImage(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Courier);
  const page = doc.addPage([260, 360]);
  const lines = [
    'CORNER HARDWARE SDN BHD',
    'NO 5, MAIN ROAD, KAJANG',
    '',
    'CABLE TIE        RM 6.50',
    'PVC PIPE        RM 31.30',
    '',
    'TOTAL           RM 37.80',
    'CASH            RM 40.00',
    'CHANGE           RM 2.20',
    '',
    '08-03-17 13:42  T2 R0173',
  ];
  lines.forEach((l, i) => page.drawText(l, { x: 20, y: 320 - i * 16, size: 11, font }));
  const r = await withPdf(Buffer.from(await doc.save()), (pdf) => pdf.render(1, 200));
  if (!r) throw new Error('could not render the receipt');
  return Buffer.from(r.png);
}

/** The first reading with its date word replaced by `str` at confidence `conf` (OCR misreading the 8 as a 6). */
function misread(scan: ScanResult, str: string, conf: number): ScanResult {
  const items = scan.pages[0].items.map((it) => (it.str === '08-03-17' ? { ...it, str, conf } : it));
  return { ...scan, pages: [{ ...scan.pages[0], items }] };
}

describe('a second look on a printed receipt (real OCR)', () => {
  it('puts back the printed date when the first reading misread it with low confidence, and marks it to check', async () => {
    const png = await receiptImage();
    const pages: ScanPage[] = [{ num: 1, load: async () => ({ image: sharp(png) }) }];
    const deadline = Date.now() + 60_000;
    const scan = await readScan(pages, { deadline });
    expect(extractFromLayout(buildLayout(scan.pages), { today: '2018-01-01' }).invoiceDate).toBe('2017-03-08');

    const doubtfulRead = misread(scan, '06-03-17', 70);
    const wrong = extractFromLayout(buildLayout(doubtfulRead.pages), { today: '2018-01-01' });
    expect(wrong.invoiceDate).toBe('2017-03-06');
    const looked = await secondLookAtDate(pages, doubtfulRead, wrong, { deadline, today: '2018-01-01' });
    expect(looked.invoiceDate).toBe('2017-03-08');
    expect(looked.confidence.invoiceDate).toBeLessThan(CHECK_BELOW);

    // A reading OCR was sure of is not looked at again (the page is not even loaded).
    let loads = 0;
    const counted: ScanPage[] = [
      {
        num: 1,
        load: async () => {
          loads++;
          return { image: sharp(png) };
        },
      },
    ];
    const sure = misread(scan, '06-03-17', 97);
    const kept = await secondLookAtDate(counted, sure, extractFromLayout(buildLayout(sure.pages), { today: '2018-01-01' }), {
      deadline,
      today: '2018-01-01',
    });
    expect([kept.invoiceDate, loads]).toEqual(['2017-03-06', 0]);
  }, 120_000);
});
