/**
 * npm run --silent extract -- FILE...
 * Prints one JSON object per line per file. stdout carries only these lines: anything else that
 * writes to console.log (e.g. pdf.js warnings) is redirected to stderr.
 */
import { readFile } from 'node:fs/promises';
import { closeExtractor, extractInvoice } from '../src/invoices/extract/index.ts';

console.log = console.error;
console.info = console.error;
console.warn = console.error;

const files = process.argv.slice(2).filter((a) => a !== '--');
if (!files.length) {
  process.stderr.write('usage: npm run --silent extract -- FILE...\n');
  process.exit(2);
}
for (const file of files) {
  let line: Record<string, unknown>;
  try {
    const bytes = await readFile(file);
    const t0 = performance.now();
    const r = await extractInvoice(bytes);
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    if (r.ok) {
      line = {
        file,
        ok: true,
        vendor: r.vendor,
        invoiceNumber: r.invoiceNumber,
        invoiceDate: r.invoiceDate,
        dueDate: r.dueDate,
        total: r.total,
        currency: r.currency,
        subtotal: r.subtotal ?? null,
        tax: r.tax ?? null,
        amountDue: r.amountDue ?? null,
        lines: r.lines,
        confidence: r.confidence,
        source: r.source,
        documentType: r.documentType ?? 'invoice',
        pages: r.pages,
        ms,
      };
      if (r.ocrText !== undefined) line.ocrChars = r.ocrText.length;
    } else {
      line = { file, ok: false, error: r.reason, message: r.message, ms };
      if (r.partial)
        line.partial = {
          vendor: r.partial.vendor,
          invoiceNumber: r.partial.invoiceNumber,
          total: r.partial.total,
          pages: r.partial.pages,
        };
    }
  } catch (err) {
    line = {
      file,
      ok: false,
      error: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not_found' : 'unreadable',
      message: String((err as Error).message),
    };
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
await closeExtractor();
