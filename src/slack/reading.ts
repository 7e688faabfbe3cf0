import type { ReadProgress } from '../invoices/intake.ts';
import type { ReadingState } from './views/invoice-common.ts';

/**
 * The thread card while a file is read. OCR takes seconds a page, so a photo gets its card at once ("Reading your
 * photo…"); a PDF is usually read in a blink from its text layer, so its card waits for the reader's first page
 * of OCR (then "Reading your scan… page 1 of 6") or a short delay. Page progress is shown at most every
 * `minIntervalMs` (Slack's chat.update is rate limited per workspace): the latest page wins, earlier ticks are
 * dropped, and nothing is sent once the file is read (the card then shows the fields).
 */

export const READING_UPDATE_MS = 4000;
/** A PDF still being read after this long gets a "Reading…" card before any page progress. */
export const PDF_CARD_DELAY_MS = 1500;

const IMAGE_TYPES = /^image\/(jpeg|jpg|pjpeg|png|webp|tiff|heic|heif|heic-sequence|heif-sequence)$/;
const IMAGE_EXT = /\.(jpe?g|png|webp|tiff?|heic|heif)$/i;
const IMAGE_FILETYPES = new Set(['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'heic', 'heif']);

/** Is this one of the image formats the reader takes (by Slack's mimetype, filetype or the name)? */
export function isReadableImage(f: { mimeType?: string | null; filetype?: string | null; fileName?: string | null }): boolean {
  return (
    IMAGE_TYPES.test((f.mimeType ?? '').toLowerCase()) || IMAGE_FILETYPES.has((f.filetype ?? '').toLowerCase()) || IMAGE_EXT.test(f.fileName ?? '')
  );
}

/** What the card calls the file while it is read: a TIFF is a scanner's output, other images are photos. */
export function readingKind(f: { mimeType?: string | null; filetype?: string | null; fileName?: string | null }): ReadingState['kind'] {
  if (!isReadableImage(f)) return 'file';
  return /tiff?$/i.test(f.mimeType ?? '') || /^tiff?$/i.test(f.filetype ?? '') || /\.tiff?$/i.test(f.fileName ?? '') ? 'scan' : 'photo';
}

export interface ReadingCardOptions {
  minIntervalMs?: number;
  /** How long before the first card: 0 = at once (images). */
  firstDelayMs?: number;
  now?: () => number;
}

export class ReadingCard {
  private state: ReadingState;
  private shown = false;
  private finished = false;
  private lastAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly minIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly show: (state: ReadingState) => unknown,
    kind: ReadingState['kind'],
    private readonly opts: ReadingCardOptions = {},
  ) {
    this.state = { kind };
    this.minIntervalMs = opts.minIntervalMs ?? READING_UPDATE_MS;
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    const delay = this.opts.firstDelayMs ?? 0;
    if (delay <= 0) this.flush();
    else this.schedule(delay);
  }

  /** The reader's tick (`page` pages done): OCR on a PDF means it is a scan; the first tick shows the card at once. */
  progress(p: ReadProgress): void {
    if (this.finished) return;
    // The card names the page being read now, the one after those done.
    this.state = { kind: this.state.kind === 'file' ? 'scan' : this.state.kind, page: Math.min(p.page + 1, p.pages), pages: p.pages };
    if (!this.shown) {
      this.clear();
      this.flush();
      return;
    }
    if (this.timer) return; // an update is due; it will carry the latest page
    const wait = this.lastAt + this.minIntervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.schedule(wait);
  }

  /** The file is read: no more "Reading…" updates. */
  finish(): void {
    this.finished = true;
    this.clear();
  }

  private schedule(ms: number) {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, ms);
    this.timer.unref?.();
  }

  private clear() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush() {
    if (this.finished) return;
    this.shown = true;
    this.lastAt = this.now();
    this.show({ ...this.state });
  }
}
