// The QBO + Intuit OAuth emulator over real HTTP, through the real node-quickbooks and intuit-oauth: requestid idempotency, attachments, BillPayment and injected faults.
// Every assertion is something real QBO / Intuit also does (see /work/shared/docs/qbo-api.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QboEmulator } from '../../emulators/qbo/index.ts';
import { api, billFor, call, expectFault, fault, q, startWorld, type SeedIds, type Session } from './qbo-helpers.ts';

describe('QBO emulator', () => {
  let emu: QboEmulator;
  let s: Session;
  let qbo: any;
  let ids: SeedIds;
  const bill = (over: Record<string, unknown> = {}) => billFor(ids, over);
  beforeAll(async () => {
    ({ emu, s, qbo, ids } = await startWorld());
  });
  afterAll(async () => {
    await emu.close();
  });

  describe('requestid idempotency', () => {
    it('the same requestid returns the original response without creating a second Bill', async () => {
      const count = () => emu.entities(s.realmId, 'Bill').length;
      const before = count();
      const a: any = await call((cb) => qbo.createBill({ ...bill({ DocNumber: 'RQ-1' }), requestId: 'inv-42-rev-1' }, cb));
      const b: any = await call((cb) => qbo.createBill({ ...bill({ DocNumber: 'RQ-1' }), requestId: 'inv-42-rev-1' }, cb));
      expect(b.Id).toBe(a.Id);
      expect(b).toEqual(a);
      expect(count()).toBe(before + 1);
      expect(emu.requests.at(-1)!.query.requestid).toBe('inv-42-rev-1');
      // A new requestid is new work (and here a duplicate DocNumber).
      const e = await fault(call((cb) => qbo.createBill({ ...bill({ DocNumber: 'RQ-1' }), requestId: 'inv-42-rev-2' }, cb)));
      expectFault(e, '6140');
    });

    it('replays a fault too', async () => {
      const first = await fault(call((cb) => qbo.createBill({ ...bill({ VendorRef: { value: '424242' } }), requestId: 'bad-ref-1' }, cb)));
      const again = await fault(call((cb) => qbo.createBill({ ...bill(), requestId: 'bad-ref-1' }, cb)));
      expect(again.data).toEqual(first.data);
    });
  });

  describe('attachments', () => {
    let billId: string;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 600 }, (_, i) => i % 256)), Buffer.from('\n%%EOF\n')]);
    beforeAll(async () => {
      billId = ((await call((cb) => qbo.createBill(bill(), cb))) as any).Id;
    });

    it('node-quickbooks upload(): content part, then attachable?operation=update links it to the Bill', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'qbo-emu-'));
      const file = join(dir, 'invoice.pdf');
      writeFileSync(file, pdf);
      const att: any = await call((cb) => qbo.upload('invoice.pdf', 'application/pdf', createReadStream(file), 'Bill', billId, cb));
      expect(att.AttachableRef[0].EntityRef).toMatchObject({ type: 'Bill', value: billId });
      expect(att).toMatchObject({
        FileName: 'invoice.pdf',
        ContentType: 'application/pdf',
        Size: pdf.length,
        SyncToken: '1',
      });
      const stored = emu.entities(s.realmId, 'Attachable').find((a) => a.Id === att.Id)!;
      expect(Buffer.compare(stored._bytes, pdf)).toBe(0);
      const paths = emu.requests.slice(-2).map((r) => `${r.method} ${r.path.split('/').pop()} ${r.query.operation ?? ''}`.trim());
      expect(paths).toEqual(['POST upload', 'POST attachable update']);
      // The temporary download link serves the same bytes.
      const dl = await fetch(att.TempDownloadUri);
      expect(Buffer.compare(Buffer.from(await dl.arrayBuffer()), pdf)).toBe(0);
    });

    it('multipart upload with file_metadata_01 + file_content_01 links in one call', async () => {
      const form = new FormData();
      const meta = {
        AttachableRef: [{ EntityRef: { type: 'Bill', value: billId } }],
        FileName: 'scan.pdf',
        ContentType: 'application/pdf',
      };
      form.append('file_metadata_01', new Blob([JSON.stringify(meta)], { type: 'application/json' }), 'attachment.json');
      form.append('file_content_01', new Blob([pdf], { type: 'application/pdf' }), 'scan.pdf');
      const r = await api(emu, s, 'upload?minorversion=75', { method: 'POST', body: form });
      expect(r.status).toBe(200);
      const att = r.data.AttachableResponse[0].Attachable;
      expect(att).toMatchObject({ FileName: 'scan.pdf', Size: pdf.length });
      expect(att.AttachableRef[0].EntityRef.value).toBe(billId);
    });

    it('takes the image types QBO takes (JPEG, PNG, TIFF…), refuses HEIC and WebP with a Fault naming the type', async () => {
      const upload = (name: string, type: string) => {
        const form = new FormData();
        form.append(
          'file_metadata_01',
          JSON.stringify({
            AttachableRef: [{ EntityRef: { type: 'Bill', value: billId } }],
            FileName: name,
            ContentType: type,
          }),
        );
        form.append('file_content_01', new Blob([pdf], { type }), name);
        return api(emu, s, 'upload', { method: 'POST', body: form });
      };
      for (const [name, type] of [
        ['IMG_1.jpg', 'image/jpeg'],
        ['shot.png', 'image/png'],
        ['scan.tif', 'image/tiff'],
      ]) {
        expect((await upload(name, type)).data.AttachableResponse[0].Attachable).toMatchObject({
          FileName: name,
          ContentType: type,
        });
      }
      for (const [name, type] of [
        ['IMG_2.heic', 'image/heic'],
        ['photo.webp', 'image/webp'],
      ]) {
        const f = (await upload(name, type)).data.AttachableResponse[0].Fault.Error[0];
        expect(f.Detail).toContain(type);
      }
    });

    it('an upload linked to a transaction that does not exist comes back as a Fault', async () => {
      const form = new FormData();
      form.append(
        'file_metadata_01',
        JSON.stringify({
          AttachableRef: [{ EntityRef: { type: 'Bill', value: '777777' } }],
          FileName: 'x.pdf',
          ContentType: 'application/pdf',
        }),
      );
      form.append('file_content_01', new Blob([pdf], { type: 'application/pdf' }), 'x.pdf');
      const r = await api(emu, s, 'upload', { method: 'POST', body: form });
      expect(r.data.AttachableResponse[0].Fault.Error[0].code).toBe('2500');
      const e = await fault(call((cb) => qbo.upload('y.pdf', 'application/pdf', pdf, 'Bill', '777777', cb)));
      expect(e.status).toBe(400);
    });
  });

  describe('BillPayment', () => {
    it('pays a Bill from a bank account and reduces its Balance', async () => {
      const b: any = await call((cb) => qbo.createBill(bill(), cb));
      const pay: any = await call((cb) =>
        qbo.createBillPayment(
          {
            VendorRef: { value: ids.homeDepot },
            PayType: 'Check',
            CheckPayment: { BankAccountRef: { value: ids.checking } },
            TotalAmt: 60,
            Line: [{ Amount: 60, LinkedTxn: [{ TxnId: b.Id, TxnType: 'Bill' }] }],
          },
          cb,
        ),
      );
      expect(pay.TotalAmt).toBe(60);
      const after: any = await call((cb) => qbo.getBill(b.Id, cb));
      expect(after.Balance).toBe(40.3);
      expect(after.LinkedTxn).toEqual([{ TxnId: pay.Id, TxnType: 'BillPaymentCheck' }]);
      // More than the open balance is refused.
      const over = await fault(
        call((cb) =>
          qbo.createBillPayment(
            {
              VendorRef: { value: ids.homeDepot },
              PayType: 'Check',
              CheckPayment: { BankAccountRef: { value: ids.checking } },
              TotalAmt: 50,
              Line: [{ Amount: 50, LinkedTxn: [{ TxnId: b.Id, TxnType: 'Bill' }] }],
            },
            cb,
          ),
        ),
      );
      expectFault(over, '6000');
    });

    it('needs the right account for the PayType and an existing Bill', async () => {
      const b: any = await call((cb) => qbo.createBill(bill(), cb));
      const line = [{ Amount: 10, LinkedTxn: [{ TxnId: b.Id, TxnType: 'Bill' }] }];
      const base = { VendorRef: { value: ids.homeDepot }, TotalAmt: 10, Line: line };
      expectFault(
        await fault(call((cb) => qbo.createBillPayment({ ...base, PayType: 'Check', CheckPayment: { BankAccountRef: { value: ids.visa } } }, cb))),
        '6000',
      );
      expectFault(
        await fault(
          call((cb) => qbo.createBillPayment({ ...base, PayType: 'CreditCard', CreditCardPayment: { CCAccountRef: { value: ids.checking } } }, cb)),
        ),
        '6000',
      );
      expectFault(await fault(call((cb) => qbo.createBillPayment({ ...base, PayType: 'CreditCard' }, cb))), '2020');
      const cc: any = await call((cb) =>
        qbo.createBillPayment({ ...base, PayType: 'CreditCard', CreditCardPayment: { CCAccountRef: { value: ids.visa } } }, cb),
      );
      expect(cc.PayType).toBe('CreditCard');
      const missing = {
        ...base,
        PayType: 'Check',
        CheckPayment: { BankAccountRef: { value: ids.checking } },
        Line: [{ Amount: 10, LinkedTxn: [{ TxnId: '565656', TxnType: 'Bill' }] }],
      };
      expectFault(await fault(call((cb) => qbo.createBillPayment(missing, cb))), '2500');
    });
  });

  describe('fault injection', () => {
    it('answers the injected status for the next matching request only', async () => {
      emu.injectFault({ method: 'GET', path: /\/companyinfo\//, status: 503 });
      const e = await fault(call((cb) => qbo.getCompanyInfo(s.realmId, cb)));
      expect(e.status).toBe(503);
      expect(e.data.Fault.type).toBe('SERVICE');
      const ok: any = await call((cb) => qbo.getCompanyInfo(s.realmId, cb));
      expect(ok.CompanyName).toBe('Keystone Builders LLC');
    });

    it('afterWork: the Bill is committed although the answer is a 500; a retry with the same requestid gets the Bill', async () => {
      const before = emu.entities(s.realmId, 'Bill').length;
      emu.injectFault({ method: 'POST', path: /\/bill$/, status: 500, afterWork: true });
      const e = await fault(call((cb) => qbo.createBill({ ...bill({ DocNumber: 'LOST-1' }), requestId: 'lost-response-1' }, cb)));
      expect(e.status).toBe(500);
      expect(emu.entities(s.realmId, 'Bill').length).toBe(before + 1);
      const retry: any = await call((cb) => qbo.createBill({ ...bill({ DocNumber: 'LOST-1' }), requestId: 'lost-response-1' }, cb));
      expect(retry.DocNumber).toBe('LOST-1');
      expect(emu.entities(s.realmId, 'Bill').length).toBe(before + 1);
    });

    it('count and a custom body', async () => {
      emu.injectFault({ path: /\/query$/, status: 500, count: 2, body: { oops: true } });
      expect((await q(emu, s, 'select * from Class')).data).toEqual({ oops: true });
      expect((await q(emu, s, 'select * from Class')).status).toBe(500);
      expect((await q(emu, s, 'select * from Class')).status).toBe(200);
    });
  });
});
