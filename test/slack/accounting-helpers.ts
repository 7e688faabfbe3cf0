import { expect } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/**
 * A text PDF invoice from Cascade Lumber with `lines` priced items (or a credit note), laid out as supplier
 * invoices are: seller at the top left, title and number at the right, a Description/Amount table, then the total.
 */
export async function lumberPdf(o: { lines: Array<[string, number]>; number?: string; title?: string; vendor?: string }): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  let page = doc.addPage([612, 792]);
  const at = (x: number, y: number, text: string, size = 10) => page.drawText(text, { x, y, size, font });
  const amount = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  at(40, 750, o.vendor ?? 'Cascade Lumber Co.', 16);
  at(40, 734, '400 Mill Rd, Tacoma, WA 98402');
  at(400, 750, o.title ?? 'INVOICE', 16);
  at(400, 730, `Invoice No: ${o.number ?? 'CL-5521'}`);
  at(400, 716, 'Invoice Date: 03/02/2026');
  at(40, 690, 'Bill To: Ridgeline Builders LLC, 2150 Summit Ave, Seattle, WA 98109');
  let y = 650;
  at(40, y, 'Description');
  at(480, y, 'Amount');
  for (const [d, a] of o.lines) {
    y -= 14;
    if (y < 80) {
      page = doc.addPage([612, 792]);
      y = 740;
    }
    at(40, y, d);
    at(480, y, amount(a));
  }
  const total = o.lines.reduce((s, [, a]) => s + Math.round(a * 100), 0) / 100;
  y -= 24;
  at(400, y, 'Total');
  at(480, y, `$${amount(total)}`);
  return Buffer.from(await doc.save());
}

/**
 * Records every create the app sends to QuickBooks (entity and the exact request body, as node-quickbooks gets it),
 * so a test can keep the body QBO receives in each case as a file snapshot (test/slack/qbo-bodies/).
 */
export function captureQboBodies(stack: { app: { engine: { qbo: any } } }) {
  const sent: Array<{ entity: string; body: Record<string, unknown> }> = [];
  const qbo = stack.app.engine.qbo;
  const create = qbo.create.bind(qbo);
  qbo.create = (teamId: string, entity: string, body: Record<string, unknown>, opts?: unknown) => {
    sent.push({ entity, body: structuredClone(body) });
    return create(teamId, entity, body, opts);
  };
  return {
    sent,
    /** The last body sent for `entity`, kept as test/slack/qbo-bodies/<name>.json. */
    async save(name: string, entity: string) {
      const hit = sent.filter((s) => s.entity === entity).at(-1);
      if (!hit) throw new Error(`no ${entity} was sent`);
      await expect(`${JSON.stringify({ entity, body: hit.body }, null, 2)}\n`).toMatchFileSnapshot(`./qbo-bodies/${name}.json`);
    },
  };
}
