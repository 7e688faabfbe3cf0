import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { extractInvoice } from '../../src/invoices/extract/index.ts';
import { dueFromTerms, parseInvoiceXml } from '../../src/invoices/extract/xml.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/invoices');

const CII = `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocument><ram:ID>00471</ram:ID><ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20250304</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:SpecifiedTradeProduct><ram:Name>Schrauben &amp; Dübel</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>2.50</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">40</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement><ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>100.00</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty><ram:Name>Beispiel Baustoffe GmbH</ram:Name></ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Kunde AG</ram:Name></ram:BuyerTradeParty>
      <ram:AdditionalReferencedDocument><ram:AttachmentBinaryObject mimeCode="application/pdf" filename="x.pdf">${'QUJD'.repeat(5000)}</ram:AttachmentBinaryObject></ram:AdditionalReferencedDocument>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradePaymentTerms><ram:Description>Zahlbar innerhalb 30 Tagen netto bis 03.04.2025, 2% Skonto bis 14.03.2025</ram:Description></ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">19.00</ram:TaxTotalAmount>
        <ram:TaxTotalAmount currencyID="USD">20.50</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>119.00</ram:GrandTotalAmount>
        <ram:DuePayableAmount>69.00</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>`;

const UBL = `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>INV/2025/0007</cbc:ID><cbc:IssueDate>2025-02-01</cbc:IssueDate><cbc:DueDate>2025-03-03</cbc:DueDate>
  <cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>Granite Rentals Inc.</cbc:Name></cac:PartyName></cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party><cac:PartyName><cbc:Name>Ridgeline Builders LLC</cbc:Name></cac:PartyName></cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="USD">8.00</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal><cbc:TaxExclusiveAmount currencyID="USD">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="USD">108.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="USD">108.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="DAY">4</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="USD">100.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Skid steer rental</cbc:Name></cac:Item><cac:Price><cbc:PriceAmount currencyID="USD">25.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</Invoice>`;

async function pdfWithXml(xml: string, name: string, text = 'Rechnung 999 Gesamtbetrag 1,00 EUR'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 11, font: await doc.embedFont(StandardFonts.Helvetica) });
  await doc.attach(Buffer.from(xml, 'utf8'), name, { mimeType: 'text/xml', description: 'Factur-X invoice' });
  return Buffer.from(await doc.save());
}

describe('embedded XML invoices', () => {
  it('reads CII (Factur-X / ZUGFeRD 2 / XRechnung) values exactly', () => {
    const x = parseInvoiceXml(CII)!;
    expect(x).toMatchObject({
      vendor: 'Beispiel Baustoffe GmbH',
      invoiceNumber: '00471',
      invoiceDate: '2025-03-04',
      dueDate: '2025-04-03',
      total: 119,
      currency: 'EUR',
      subtotal: 100,
      tax: 19,
      amountDue: 69,
    });
    expect(x.lines).toEqual([{ description: 'Schrauben & Dübel', quantity: 40, unitPrice: 2.5, amount: 100 }]);
    expect(x.documentType).toBe('invoice');
    expect(parseInvoiceXml(CII.replace('<ram:TypeCode>380</ram:TypeCode>', '<ram:TypeCode>381</ram:TypeCode>'))?.documentType).toBe('credit_note');
  });

  it('reads UBL invoices', () => {
    expect(parseInvoiceXml(UBL)).toMatchObject({
      vendor: 'Granite Rentals Inc.',
      invoiceNumber: 'INV/2025/0007',
      invoiceDate: '2025-02-01',
      dueDate: '2025-03-03',
      total: 108,
      currency: 'USD',
      tax: 8,
      lines: [{ description: 'Skid steer rental', quantity: 4, unitPrice: 25, amount: 100 }],
    });
  });

  it('returns null for XML that is not an invoice or is broken', () => {
    expect(parseInvoiceXml('<note><to>x</to></note>')).toBeNull();
    expect(parseInvoiceXml('<rsm:CrossIndustryInvoice><unclosed')).toBeNull();
    expect(parseInvoiceXml(new Uint8Array([0xff, 0xfe, 0x00]))).toBeNull();
  });

  it('finds the net due date in payment-terms prose', () => {
    expect(dueFromTerms('Zahlbar innerhalb 30 Tagen netto bis 04.04.2018, 3% Skonto innerhalb 10 Tagen bis 15.03.2018')).toBe('2018-04-04');
    expect(dueFromTerms('Payable by 31.01.2025')).toBe('2025-01-31');
    expect(dueFromTerms('30 days')).toBeNull();
  });

  it('prefers the attached XML over the text layer', async () => {
    const r = await extractInvoice(await pdfWithXml(CII, 'factur-x.xml'));
    expect(r).toMatchObject({
      ok: true,
      source: 'xml',
      invoiceNumber: '00471',
      total: 119,
      vendor: 'Beispiel Baustoffe GmbH',
      pages: 1,
    });
  });

  it('flags credit notes', async () => {
    const r = await extractInvoice(readFileSync(path.join(fixtures, 'factur-x-Avoir_FR_type381_BASIC.pdf')));
    expect(r).toMatchObject({ ok: true, documentType: 'credit_note', total: 233.47 });
  });

  it('reads a UBL attachment with another name', async () => {
    const r = await extractInvoice(await pdfWithXml(UBL, 'UBL-Invoice-2.1.xml'));
    expect(r).toMatchObject({ ok: true, source: 'xml', invoiceNumber: 'INV/2025/0007' });
  });

  it('falls back to the text layer when the XML is unusable', async () => {
    const r = await extractInvoice(await pdfWithXml('<broken', 'factur-x.xml', 'Rechnung Nr. 4711 vom 05.03.2024   Gesamtbetrag 1.190,00 EUR'));
    expect(r).toMatchObject({
      ok: true,
      source: 'text',
      invoiceNumber: '4711',
      invoiceDate: '2024-03-05',
      total: 1190,
      currency: 'EUR',
    });
  });

  it('reads the Factur-X fixtures from their XML', async () => {
    const r = await extractInvoice(readFileSync(path.join(fixtures, 'factur-x-Facture_FR_BASICWL.pdf')));
    expect(r).toMatchObject({
      ok: true,
      source: 'xml',
      vendor: 'Au bon moulin',
      invoiceNumber: 'FA-2017-0010',
      invoiceDate: '2017-11-13',
      dueDate: '2017-12-13',
      total: 671.15,
      amountDue: 470.15,
      currency: 'EUR',
    });
  });

  it('reads XRechnung with large inline attachments', async () => {
    const r = await extractInvoice(readFileSync(path.join(fixtures, 'ferd-XRECHNUNG_Elektron.pdf')));
    expect(r).toMatchObject({ ok: true, source: 'xml', invoiceNumber: '181301674', total: 300 });
  });
});
