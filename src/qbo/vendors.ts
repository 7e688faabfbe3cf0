import type { Logger } from '../log.ts';
import type { QboClient, QboEntity } from './client.ts';
import { withTimeout } from './connections.ts';
import { QboError, QboTimeout } from './errors.ts';
import type { QboLists } from './lists.ts';

/**
 * Create-or-find a vendor by the name a person typed (the review modal's "new vendor"). The review submit acks Slack
 * in bounded time whatever this takes (src/slack/listeners/views/review-submit.ts), so QBO gets VENDOR_CREATE_MS
 * for the create; the race cannot cancel QBO's create, so when it times out or fails on the way (a 5xx or a dropped
 * connection: the vendor may well exist by now) or QBO says the name is taken (6240: made in QBO since the last list
 * refresh, or by our own late create), the vendor is looked up in QBO by its exact DisplayName and used.
 */

/** How long a submit waits for QuickBooks' create, then for the look-up after it (the modal says "Saving…" meanwhile). */
export const VENDOR_CREATE_MS = 10_000;
export const VENDOR_LOOKUP_MS = 5_000;

export interface VendorDeps {
  qbo: QboClient;
  /** The list cache (its reads awaited whether they answer at once or later). */
  lists: Pick<QboLists, 'search' | 'upsert'>;
  log: Logger;
}

export type VendorOutcome =
  | { ok: true; id: string; name: string }
  /** inactive: the name is an inactive vendor; taken: QBO has the name but we cannot see it; timeout: no answer in time. */
  | { ok: false; why: 'inactive' | 'taken' | 'timeout'; name: string }
  /** QBO refused the create (validation, auth …). */
  | { ok: false; why: 'refused'; name: string; error: QboError };

export async function createOrFindVendor(deps: VendorDeps, teamId: string, typed: string): Promise<VendorOutcome> {
  const { lists, qbo, log } = deps;
  const name = typed.slice(0, 500);
  const same = (v: string) => v.toLowerCase() === name.toLowerCase();
  const cached = await lists.search(teamId, 'Vendor', name, { includeInactive: true, limit: 50 });
  const existing = cached.find((v) => same(v.name));
  if (existing) return existing.active ? { ok: true, id: existing.id, name: existing.name } : { ok: false, why: 'inactive', name: existing.name };
  const use = async (v: QboEntity) => {
    await lists.upsert(teamId, 'Vendor', v);
    return { ok: true as const, id: String(v.Id), name: displayName(v) ?? name };
  };
  const creating = qbo.create(teamId, 'Vendor', { DisplayName: name });
  try {
    return await use(await withTimeout(creating, VENDOR_CREATE_MS, 'QuickBooks took too long to create the vendor'));
  } catch (err) {
    const timedOut = err instanceof QboTimeout;
    const taken = err instanceof QboError && err.code === '6240';
    // A 5xx or a dropped connection says nothing of whether QBO made the vendor: look, as after a timeout.
    const unsure = err instanceof QboError && (err.kind === 'server' || err.kind === 'network');
    if (!timedOut && !taken && !unsure) {
      if (err instanceof QboError) return { ok: false, why: 'refused', name, error: err };
      throw err;
    }
    // A create that lands after the timeout still goes into the list cache, so the next submit finds it.
    if (timedOut) creating.then(use, () => undefined).catch((e) => log.warn('late vendor create not cached', { teamId, error: e }));
    let found: QboEntity[] = [];
    try {
      found = await withTimeout(qbo.findAll<QboEntity>(teamId, 'Vendor', { DisplayName: name }), VENDOR_LOOKUP_MS, 'lookup timed out');
    } catch (lookupErr) {
      log.warn('vendor lookup after create failed', { teamId, error: lookupErr });
    }
    const hit = found.find((v) => same(displayName(v) ?? '')) ?? found[0];
    if (hit) return use(hit);
    if (unsure) return { ok: false, why: 'refused', name, error: err as QboError };
    return { ok: false, why: taken ? 'taken' : 'timeout', name };
  }
}

function displayName(v: QboEntity): string | null {
  const n = (v as { DisplayName?: unknown }).DisplayName;
  return typeof n === 'string' ? n : null;
}
