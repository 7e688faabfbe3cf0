// One QBO company (realm): its entities, id sequences, idempotency cache and throttling counters.
import { qboTime } from './faults.ts';

/** Canonical entity names the emulator knows, keyed by their lower-case URL/query form. */
export const ENTITY_NAMES = [
  'Account',
  'Attachable',
  'Bill',
  'BillPayment',
  'Class',
  'CompanyInfo',
  'Customer',
  'Item',
  'Purchase',
  'Term',
  'Vendor',
  'VendorCredit',
  'TaxCode',
] as const;

const byLower = new Map<string, string>(ENTITY_NAMES.map((n) => [n.toLowerCase(), n]));
export function canonicalEntity(name: string): string | undefined {
  return byLower.get(name.toLowerCase());
}

/** Name lists: queries return only active rows unless the query filters on Active. */
export const NAME_LISTS = new Set(['Account', 'Class', 'Customer', 'Item', 'Term', 'Vendor', 'TaxCode']);
/** Transactions share one id sequence, as in QBO. */
export const TRANSACTIONS = new Set(['Bill', 'BillPayment', 'Purchase', 'VendorCredit']);

export type Entity = Record<string, any>;

export interface CachedResponse {
  status: number;
  body: unknown;
}

export class Company {
  readonly entities = new Map<string, Map<string, Entity>>();
  private seq = new Map<string, number>();
  private txnSeq = 145;
  private attachableSeq = 5000000000000000100n;
  /** requestid → original response. */
  readonly idempotency = new Map<string, CachedResponse>();
  inFlight = 0;
  windowStart = 0;
  windowCount = 0;
  /** Deleted objects as change data capture reports them ({Id, status: 'Deleted', MetaData}), per entity. */
  readonly tombstones = new Map<string, Map<string, Entity>>();
  /** Told of every create, update and delete (the webhook sender listens). */
  onChange: ((entity: string, obj: Entity, operation: ChangeOperation) => void) | null = null;

  constructor(
    readonly realmId: string,
    public name: string,
  ) {}

  table(entity: string): Map<string, Entity> {
    let t = this.entities.get(entity);
    if (!t) {
      t = new Map();
      this.entities.set(entity, t);
    }
    return t;
  }

  all(entity: string): Entity[] {
    return [...this.table(entity).values()];
  }

  get(entity: string, id: string | number | undefined | null): Entity | undefined {
    if (id === undefined || id === null) return undefined;
    return this.table(entity).get(String(id));
  }

  nextId(entity: string): string {
    if (TRANSACTIONS.has(entity)) return String(++this.txnSeq);
    if (entity === 'Attachable') return String(++this.attachableSeq);
    const n = (this.seq.get(entity) ?? this.table(entity).size) + 1;
    this.seq.set(entity, n);
    return String(n);
  }

  /** Stores a new entity with the envelope fields QBO adds (Id, SyncToken, domain, sparse, MetaData). */
  insert(entity: string, obj: Entity, opts: { id?: string; time?: string } = {}): Entity {
    const id = opts.id ?? this.nextId(entity);
    if (opts.id) {
      const n = Number(opts.id);
      if (Number.isInteger(n) && !TRANSACTIONS.has(entity) && entity !== 'Attachable') {
        this.seq.set(entity, Math.max(this.seq.get(entity) ?? 0, n));
      }
    }
    const time = opts.time ?? qboTime();
    const stored: Entity = {
      ...obj,
      domain: 'QBO',
      sparse: false,
      Id: id,
      SyncToken: '0',
      MetaData: { CreateTime: time, LastUpdatedTime: time },
    };
    this.table(entity).set(id, stored);
    if (!opts.time) this.onChange?.(entity, stored, 'Create');
    return stored;
  }

  /** Marks an entity modified: bumps SyncToken and LastUpdatedTime. */
  touch(obj: Entity, operation: ChangeOperation = 'Update'): void {
    obj.SyncToken = String(Number(obj.SyncToken ?? '0') + 1);
    obj.MetaData = { ...(obj.MetaData ?? {}), LastUpdatedTime: laterTime(obj.MetaData?.LastUpdatedTime) };
    const entity = [...this.entities].find(([, t]) => t.get(String(obj.Id)) === obj)?.[0];
    if (entity) this.onChange?.(entity, obj, operation);
  }

  /** Deletes an entity, keeping the tombstone change data capture reports. */
  remove(entity: string, id: string): Entity {
    this.table(entity).delete(id);
    const tomb: Entity = { Id: id, status: 'Deleted', domain: 'QBO', MetaData: { LastUpdatedTime: qboTime() } };
    let t = this.tombstones.get(entity);
    if (!t) this.tombstones.set(entity, (t = new Map()));
    t.set(id, tomb);
    this.onChange?.(entity, tomb, 'Delete');
    return tomb;
  }
}

export type ChangeOperation = 'Create' | 'Update' | 'Delete' | 'Merge' | 'Void';

/** Now, but strictly after `prev` (two changes within one millisecond still order by LastUpdatedTime). */
function laterTime(prev: string | undefined): string {
  const now = qboTime();
  const p = prev ? Date.parse(prev) : NaN;
  if (Number.isNaN(p) || Date.parse(now) > p) return now;
  return qboTime(new Date(p + 1));
}

/** A copy without private fields (those starting with `_`), for responses. */
export function publicView(obj: Entity): Entity {
  const out: Entity = {};
  for (const [k, v] of Object.entries(obj)) if (!k.startsWith('_')) out[k] = structuredClone(v);
  return out;
}
