import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWebhook, signatureValid } from '../../src/qbo/webhook-payload.ts';
import { signWebhook } from '../../emulators/qbo/index.ts';

/** Intuit's two webhook payloads (one recorded example each) become the same events; the signature is Intuit's. */

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/webhooks', name));

describe('QBO webhook payloads', () => {
  it('reads the legacy eventNotifications payload', () => {
    const events = parseWebhook(JSON.parse(fixture('legacy-eventNotifications.json').toString()));
    expect(events).toEqual([
      { realmId: '9341453050160001', entity: 'Bill', id: '146', operation: 'Update', lastUpdated: Date.parse('2026-03-12T09:15:31.000Z') },
      { realmId: '9341453050160001', entity: 'BillPayment', id: '147', operation: 'Create', lastUpdated: Date.parse('2026-03-12T09:15:30.000Z') },
      { realmId: '9341453050160001', entity: 'Vendor', id: '56', operation: 'Merge', lastUpdated: Date.parse('2026-03-12T09:15:29.000Z') },
    ]);
  });

  it('reads the CloudEvents payload: entity and operation from the type, realm from intuitaccountid', () => {
    const events = parseWebhook(JSON.parse(fixture('cloudevents.json').toString()));
    expect(events.map((e) => [e.entity, e.operation, e.id, e.realmId])).toEqual([
      ['Bill', 'Delete', '146', '9341453050160001'],
      ['Purchase', 'Void', '152', '9341453050160001'],
    ]);
  });

  it('refuses a body that is neither format', () => {
    expect(() => parseWebhook({ hello: 'world' })).toThrow();
    expect(() => parseWebhook([{ type: 'com.example.thing' }])).toThrow();
  });

  it('checks intuit-signature over the raw bytes: one changed byte or another token fails', () => {
    const raw = fixture('cloudevents.json');
    const sig = signWebhook(raw.toString(), 'verifier');
    expect(signatureValid(raw, sig, 'verifier')).toBe(true);
    expect(signatureValid(raw, sig, 'other-token')).toBe(false);
    const changed = Buffer.from(raw);
    changed[10] ^= 1;
    expect(signatureValid(changed, sig, 'verifier')).toBe(false);
    expect(signatureValid(raw, undefined, 'verifier')).toBe(false);
  });
});
