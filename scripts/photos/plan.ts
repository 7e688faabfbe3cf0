/**
 * Which fixture invoices become which degraded file. A representative subset of test/fixtures/invoices: the project's
 * US supplier invoices, invoice2data's layouts, Factur-X (French) and FeRD (German) invoices; single-page invoices
 * become phone photos (upright, turned 90°/180°/270°, stored sideways with an EXIF orientation tag), PNG screenshots and
 * HEIC and WebP photos, a bilevel (fax-style) TIFF scan; invoices whose total is on a later page become scanned PDFs (page 1 and the page with the total), since
 * that is how a multi-page paper invoice reaches the app.
 */
import type { Turn } from './degrade.ts';

export type Variant =
  | { kind: 'photo'; turn: Turn; exif?: boolean }
  | { kind: 'heic'; turn: Turn }
  | { kind: 'screenshot' }
  | { kind: 'scan'; turn: Turn }
  | { kind: 'webp' }
  | { kind: 'tiff' };

export interface PlanItem {
  src: string;
  variant: Variant;
}

const photo = (turn: Turn = 0, exif = false): Variant => ({ kind: 'photo', turn, exif });

export const PLAN: PlanItem[] = [
  { src: 'us-lumber-cascade.pdf', variant: photo() },
  { src: 'us-rental-bigsky.pdf', variant: photo(90) },
  { src: 'us-rental-summit.pdf', variant: photo(0, true) },
  { src: 'us-sub-progress-aia-brightline.pdf', variant: photo(180) },
  { src: 'us-sub-progress-delgado.pdf', variant: { kind: 'screenshot' } },
  { src: 'us-supply-tricounty-mono.pdf', variant: { kind: 'heic', turn: 0 } },
  { src: 'us-lumber-ponderosa-2pages.pdf', variant: { kind: 'scan', turn: 0 } },
  { src: 'invoice2data-AmazonWebServices.pdf', variant: photo() },
  { src: 'invoice2data-AzureInterior.pdf', variant: photo(270) },
  { src: 'invoice2data-FlipkartInvoice.pdf', variant: { kind: 'screenshot' } },
  { src: 'invoice2data-NetpresseInvoice.pdf', variant: photo() },
  { src: 'invoice2data-coolblue1.pdf', variant: { kind: 'heic', turn: 0 } },
  { src: 'invoice2data-coolblue2.pdf', variant: photo(180) },
  { src: 'invoice2data-free_fiber.pdf', variant: photo() },
  { src: 'invoice2data-saeco.pdf', variant: { kind: 'screenshot' } },
  { src: 'invoice2data-QualityHosting.pdf', variant: { kind: 'scan', turn: 0 } },
  { src: 'factur-x-Facture_FR_BASICWL.pdf', variant: photo() },
  { src: 'factur-x-Facture_UE_BASICWL.pdf', variant: photo(90) },
  { src: 'factur-x-Facture_DOM_BASICWL.pdf', variant: { kind: 'heic', turn: 0 } },
  { src: 'ferd-EN16931_Einfach.pdf', variant: { kind: 'scan', turn: 0 } },
  { src: 'ferd-EN16931_Rabatte.pdf', variant: { kind: 'scan', turn: 0 } },
  { src: 'ferd-XRECHNUNG_Einfach.pdf', variant: { kind: 'scan', turn: 0 } },
  { src: 'ferd-EN16931_Gutschrift.pdf', variant: { kind: 'scan', turn: 180 } },
  { src: 'ferd-EN16931_Physiotherapeut.pdf', variant: { kind: 'scan', turn: 0 } },
  { src: 'invoice2data-oyo.pdf', variant: { kind: 'webp' } },
  { src: 'us-rental-summit.pdf', variant: { kind: 'tiff' } },
];

/** The output file's name: `<invoice>.<variant>.<ext>`, e.g. `us-rental-bigsky.photo-rot90.jpg`. */
export function outputName(item: PlanItem): string {
  const base = item.src.replace(/\.pdf$/i, '');
  const v = item.variant;
  const rot = 'turn' in v && v.turn ? `-rot${v.turn}` : '';
  switch (v.kind) {
    case 'photo':
      return `${base}.photo${v.exif ? '-exif6' : rot}.jpg`;
    case 'heic':
      return `${base}.photo${rot}.heic`;
    case 'screenshot':
      return `${base}.screenshot.png`;
    case 'scan':
      return `${base}.scan${rot}.pdf`;
    case 'webp':
      return `${base}.photo.webp`;
    case 'tiff':
      return `${base}.scan.tif`;
  }
}
