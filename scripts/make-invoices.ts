/**
 * Generates the US construction-supplier invoices in test/fixtures/invoices (us-*.pdf) and their
 * records in expected.json: lumber yards, equipment rental, subcontractor progress billing.
 * Each uses its own layout, as different suppliers' billing systems would. All names are fictitious.
 *
 *   npx tsx scripts/make-invoices.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { equipmentRental, equipmentRentalStacked, lumberYard, lumberYardBand } from './invoices/lumber-rental.ts';
import { hardwareReceiptStyle, progressAia, progressSimple } from './invoices/progress-supply.ts';
import type { Expected } from './invoices/sheet.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '../test/fixtures/invoices');

const MAKERS: [string, () => Promise<[Uint8Array, Expected]>][] = [
  ['us-lumber-cascade.pdf', lumberYard],
  ['us-lumber-ponderosa-2pages.pdf', lumberYardBand],
  ['us-rental-summit.pdf', equipmentRental],
  ['us-rental-bigsky.pdf', equipmentRentalStacked],
  ['us-sub-progress-aia-brightline.pdf', progressAia],
  ['us-sub-progress-delgado.pdf', progressSimple],
  ['us-supply-tricounty-mono.pdf', hardwareReceiptStyle],
];

async function main() {
  const expPath = path.join(outDir, 'expected.json');
  const expected = JSON.parse(await readFile(expPath, 'utf8')) as Record<string, unknown>;
  for (const [file, make] of MAKERS) {
    const [bytes, exp] = await make();
    await writeFile(path.join(outDir, file), bytes);
    expected[file] = {
      file,
      source: { generator: 'scripts/make-invoices.ts', license: 'project-owned, fictitious data' },
      expectedFrom: 'GENERATOR',
      expected: exp,
    };
    process.stdout.write(`${file}\n`);
  }
  await writeFile(expPath, `${JSON.stringify(expected, null, 1)}\n`);
}

await main();
