/**
 * The only module that touches tesseract.js. Words with their boxes come back as `TextItem`s in the
 * image's pixel coordinates (the caller scales them to page units).
 *
 * Trained data is read from the `@tesseract.js-data/<lang>` packages in node_modules and handed to
 * tesseract as bytes: nothing is fetched and nothing is cached on disk (`cacheMethod: 'none'`).
 * One tesseract worker is kept per thread (creating one costs a few hundred ms) and reused.
 */
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import type { TextItem } from './pdf.ts';

/** Languages read together: the fixtures hold English, German and French invoices. */
export const OCR_LANGS = ['eng', 'deu', 'fra'] as const;
const DATA_VERSION = '4.0.0_best_int';

const require = createRequire(import.meta.url);

/** Local folder holding `<lang>.traineddata.gz` for one language (inside node_modules). */
export function langDir(lang: string): string {
  return join(dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), DATA_VERSION);
}

export interface OcrWord extends TextItem {
  conf: number;
}

export interface OcrResult {
  words: OcrWord[];
  /** Mean word confidence, 0..100 (0 when no word was found). */
  confidence: number;
  /** Words of 3+ characters, and the share of them whose box is wider than tall (text lines run across the image). */
  longWords: number;
  horizontal: number;
  /** Median slope (dy/dx) of the text lines' baselines: a photo taken at a slight angle has rows that climb or fall. */
  skew: number;
  text: string;
}

const workers = new Map<string, Promise<Worker>>();
/**
 * tesseract.js reads every language from one folder, while each package has its own: a local folder
 * of links to the packaged files (made once per process; nothing is copied or downloaded).
 */
export function localLangPath(langs: readonly string[]): string {
  const dir = join(tmpdir(), `qbo-ocr-${DATA_VERSION}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  for (const code of langs) {
    const link = join(dir, `${code}.traineddata.gz`);
    if (!existsSync(link)) symlinkSync(join(langDir(code), `${code}.traineddata.gz`), link);
  }
  return dir;
}

async function startWorker(langs: readonly string[]): Promise<Worker> {
  const worker = await createWorker(langs.join('+'), OEM.LSTM_ONLY, {
    langPath: localLangPath(langs),
    cacheMethod: 'none',
    gzip: true,
    legacyCore: false,
    legacyLang: false,
  });
  // debug_file: tesseract's own notes ("Detected 25 diacritics") would otherwise land on stdout, among the JSON logs.
  await worker.setParameters({
    tessedit_pageseg_mode: PSM.AUTO,
    preserve_interword_spaces: '0',
    user_defined_dpi: '300',
    debug_file: '/dev/null',
  });
  return worker;
}

function getWorker(langs: readonly string[]): Promise<Worker> {
  const key = langs.join('+');
  let w = workers.get(key);
  if (!w) {
    w = startWorker(langs);
    workers.set(key, w);
    w.catch(() => workers.delete(key));
  }
  return w;
}

/** Stops this thread's tesseract workers (tests, shutdown). */
export async function closeOcr(): Promise<void> {
  const all = [...workers.values()];
  workers.clear();
  await Promise.all(all.map(async (p) => (await p.catch(() => null))?.terminate()));
}

interface TessWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}
interface TessLine {
  words: TessWord[];
  bbox: { x0: number; y0: number; x1: number; y1: number };
  baseline: { x0: number; y0: number; x1: number; y1: number };
}

/**
 * A speck of dirt before a date is read as punctuation glued to it (".05.03.2018", "'12/03/2025"), and the date is
 * then no longer a date: such a leading mark is dropped when the rest of the word is a whole date.
 */
export function cleanWord(str: string): string {
  return str.replace(TABLE_RULE, '').replace(/^[.,'`‘’:;]+(?=\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})[.,]?$)/, '');
}

/**
 * A table's ruled lines read as characters glued to the word in the cell ("__530,75€|", "[Règlement", "Rem.|"): a run
 * of | _ [ ] at either end of a word that has letters or digits is the rule, not the text ("WELCOME_PACK_2017" keeps
 * its inner underscores, a lone "|" is left as it is).
 */
const TABLE_RULE = /^[|_[\]]+(?=[\p{L}\p{N}€$£(#-])|(?<=[\p{L}\p{N}€$£).%:])[|_[\]]+$/gu;

/**
 * A "word" of marks only (‘ . ; ] | _ = …): a speck of dirt or a table's rule, never a value. Left in, it becomes a
 * cell between a label and its value ("Name: | ‘ | Physiotherapeutin"). Signs that mean something alone stay
 * (currency symbols, -, #, %, &, +).
 */
export function isSpeck(str: string): boolean {
  return /^[‘’'`"“”„.,;:|_[\]{}()~^°*«»=!?¦\\/]+$/.test(str);
}

function lineWords(line: TessLine): OcrWord[] {
  const out: OcrWord[] = [];
  const lh = Math.max(1, line.bbox.y1 - line.bbox.y0);
  const b = line.baseline;
  const slope = b.x1 !== b.x0 ? (b.y1 - b.y0) / (b.x1 - b.x0) : 0;
  for (const w of line.words) {
    const str = cleanWord(w.text.trim());
    if (!str || isSpeck(str)) continue;
    // The line's baseline under the word (text rows may be slightly skewed).
    const base = b.y0 + slope * (w.bbox.x0 - b.x0);
    const y = Number.isFinite(base) && Math.abs(base - w.bbox.y1) < lh ? base : w.bbox.y1;
    out.push({ str, x: w.bbox.x0, y, w: Math.max(1, w.bbox.x1 - w.bbox.x0), h: lh, conf: w.confidence });
  }
  return out;
}

/**
 * How tesseract finds the text on a page: `auto` (its page layout analysis: blocks, columns, and text lines in any
 * direction, which the orientation choice relies on) or `sparse` (as much text as it can find, in no particular
 * order: its layout analysis drops narrow columns of figures in some photos, the sparse pass does not) or `line` (the
 * image is one line of text: a second look at one field, cut out of a page).
 */
export type OcrMode = 'auto' | 'sparse' | 'line';
const PSM_OF: Record<OcrMode, PSM> = { auto: PSM.AUTO, sparse: PSM.SPARSE_TEXT, line: PSM.SINGLE_LINE };
const modes = new WeakMap<Worker, OcrMode>();

/** Reads the words of one (already preprocessed) image. */
export async function recognize(image: Buffer, langs: readonly string[] = OCR_LANGS, mode: OcrMode = 'auto'): Promise<OcrResult> {
  const worker = await getWorker(langs);
  if ((modes.get(worker) ?? 'auto') !== mode) {
    await worker.setParameters({ tessedit_pageseg_mode: PSM_OF[mode] });
    modes.set(worker, mode);
  }
  const { data } = await worker.recognize(image, {}, { blocks: true, text: true });
  const words: OcrWord[] = [];
  const slopes: number[] = [];
  let longWords = 0;
  let wide = 0;
  for (const block of data.blocks ?? []) {
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        words.push(...lineWords(line as unknown as TessLine));
        const b = line.baseline;
        if (line.words.length >= 2 && b.x1 - b.x0 > 80) slopes.push((b.y1 - b.y0) / (b.x1 - b.x0));
        for (const w of line.words) {
          if (w.text.trim().length < 3) continue;
          longWords++;
          if (w.bbox.x1 - w.bbox.x0 > w.bbox.y1 - w.bbox.y0) wide++;
        }
      }
    }
  }
  // Confidence over real words: tesseract reports speckles and rules as low-confidence 1-char "words".
  const real = words.filter((w) => /[\p{L}\p{N}]{2,}/u.test(w.str));
  const confidence = real.length ? real.reduce((s, w) => s + w.conf, 0) / real.length : 0;
  slopes.sort((a, b) => a - b);
  const skew = slopes.length >= 3 ? slopes[Math.floor(slopes.length / 2)] : 0;
  return { words, confidence, text: data.text ?? '', longWords, horizontal: longWords ? wide / longWords : 0, skew };
}
