/**
 * The vendor a bookkeeper books is the business the buyer paid, by the name it trades under (its web address and
 * e-mail), not the legal entity behind a marketplace order or a booking; the legal name stays an alternative.
 */
import { describe, expect, it } from 'vitest';
import { extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { type Item, layoutOf } from './synth.ts';

const order = (extra: Item[] = []): Item[] => [
  [220, 30, 'Retail Invoice', 14],
  [400, 52, 'Invoice No: HB-20250311-0042'],
  [40, 68, 'Sold By: Harbor Goods Trading Pvt. Ltd.,'],
  [40, 80, 'Warehouse: Plot 12, MIDC Industrial Area, Pune 411019'],
  [40, 100, 'Invoice Date: 11-03-2025'],
  [200, 100, 'Billing Address'],
  [200, 112, 'Priya Raman'],
  [40, 190, 'Product'],
  [300, 190, 'Qty'],
  [500, 190, 'Total'],
  [40, 206, 'Cordless drill 18V'],
  [300, 206, '1'],
  [500, 206, '4,499.00'],
  [400, 260, 'Grand Total'],
  [500, 260, '4,499.00'],
  [40, 300, 'Regd. office: Harbor Goods Trading Private Limited, Pune'],
  ...extra,
];

describe('the name a business trades under', () => {
  it('books a marketplace order under the marketplace the buyer paid, with the legal seller as an alternative', () => {
    const r = extractFromLayout(
      layoutOf(
        order([
          [280, 700, 'Ordered Through: Shopwave.com Customer Care || www.shopwave.com/support'],
          [40, 720, 'Returns Policy: At Shopwave we try to deliver perfectly each and every time.'],
        ]),
      ),
    );
    expect(r.vendor).toBe('Shopwave');
    expect(r.vendorAlternatives).toContain('Harbor Goods Trading Pvt. Ltd.');
  });

  it('keeps the legal name when the trading name is printed only once, or not at all', () => {
    expect(extractFromLayout(layoutOf(order([[280, 700, 'Questions? www.shopwave.com/support · Shopwave.com']]))).vendor).toBe(
      'Harbor Goods Trading Pvt. Ltd.',
    );
    expect(extractFromLayout(layoutOf(order())).vendor).toBe('Harbor Goods Trading Pvt. Ltd.');
  });

  it('keeps the legal name when the domain is that same name, part of it or its initials', () => {
    const own = (name: string, domain: string, word: string): Item[] => [
      [40, 40, name, 16],
      [40, 58, '410 Terry Ave N, Seattle, WA 98109'],
      [400, 40, 'Invoice Number: 42183017'],
      [400, 54, 'Invoice Date: 08/03/2025'],
      [40, 200, `${word} Data Transfer`],
      [500, 200, '$4.11'],
      [400, 260, 'Total'],
      [500, 260, '$4.11'],
      [40, 700, `Thank you for using ${word}. Manage your account at ${domain}`],
    ];
    expect(extractFromLayout(layoutOf(own('Amazon Web Services, Inc.', 'https://aws.amazon.com', 'AWS'))).vendor).toBe('Amazon Web Services, Inc.');
    expect(extractFromLayout(layoutOf(own('Cascade Lumber Co.', 'www.cascadelumber.com', 'Cascade'))).vendor).toBe('Cascade Lumber Co.');
  });

  it('never takes the buyer’s name from the buyer’s own e-mail', () => {
    const r = extractFromLayout(
      layoutOf(
        order([
          [200, 124, 'accounts@ridgelinebuilders.com'],
          [40, 700, 'Delivered to Ridgeline site office. Ridgeline reference 7781.'],
        ]),
      ),
    );
    expect(r.vendor).toBe('Harbor Goods Trading Pvt. Ltd.');
  });

  it('keeps a legal name that has its own web address, whatever other domains the page prints', () => {
    const r = extractFromLayout(
      layoutOf([
        [146, 84, 'Au bon moulin SARL - 1242 chemin de l’olive - 84340 Malaucène - France'],
        [146, 96, 'http://www.aubonmoulin.fr'],
        [80, 150, 'Facture FA-2017-0009', 16],
        [340, 180, 'Hôtel Saint Denis'],
        [340, 192, '42 rue du stade, 97400 Saint Denis'],
        [80, 180, 'Hôtel Saint Denis'],
        [80, 260, 'book@hotelsaintdenis.re'],
        [80, 290, 'Date de facture'],
        [180, 290, '05/11/2017'],
        [420, 500, 'Total TTC'],
        [500, 500, '530,75 €'],
      ]),
    );
    expect(r.vendor).toBe('Au bon moulin SARL');
  });

  it('keeps the issuer that says it invoices on behalf of the brand', () => {
    const r = extractFromLayout(
      layoutOf(
        order([
          [40, 700, 'Harbor Goods Trading Pvt. Ltd. on behalf of Shopwave.com'],
          [40, 712, 'E-mail: orders@shopwave.com · Website: shopwave.com · At Shopwave we care'],
        ]),
      ),
    );
    expect(r.vendor).toBe('Harbor Goods Trading Pvt. Ltd.');
  });
});
