import type { Extraction, Unreadable } from './index.ts';

/**
 * What a person is told when a file cannot be read. Its own module, free of the readers (pdf.js, OCR, sharp), so
 * the main thread can name an outcome without loading them (the pool reads files in worker threads).
 */
const MESSAGES: Record<Unreadable['reason'] | 'no_text_image', string> = {
  not_pdf: "This file isn't a PDF or an image I can open (JPEG, PNG, WebP, TIFF, HEIC), so I can't read the invoice from it.",
  encrypted: 'This PDF is password-protected, so I can’t read it. Please share a copy without a password.',
  no_text: 'This PDF has no text layer and I couldn’t find any text on its pages, so I couldn’t read any fields. Please fill them in.',
  no_text_image: 'I couldn’t find any text in this image, so I couldn’t read any fields. Please fill them in.',
  too_large: 'This PDF is too large for me to read automatically.',
  corrupt: 'This PDF looks damaged and I couldn’t open it.',
  too_long: 'This file is too long to read automatically — please fill it in.',
  unsafe: 'This file could not be read safely, so I stopped reading it. Please fill in the details.',
};

export function unreadable(reason: Unreadable['reason'], o: { partial?: Extraction; image?: boolean } = {}): Unreadable {
  const message = reason === 'no_text' && o.image ? MESSAGES.no_text_image : MESSAGES[reason];
  return o.partial ? { ok: false, reason, message, partial: o.partial } : { ok: false, reason, message };
}
