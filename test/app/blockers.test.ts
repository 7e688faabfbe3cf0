import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlockerDeps, linkAndResume } from '../../src/app/blockers.ts';
import { linkRefusalText } from '../../src/slack/copy/fix-it.ts';
import { addProfile } from '../../src/workspace/profiles.ts';
import { type EngineStack, startEngineStack } from '../engine/engine-harness.ts';

/** The fix-it link as a use case: refusals and failures come back as codes, never as an exception's text. */

const T = 'T1';
let stack: EngineStack;
beforeAll(async () => {
  stack = await startEngineStack();
  await stack.connect(T);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

/** The engine, but writing a profile's link fails as a locked database would. */
function failingLinks(): BlockerDeps {
  const { engine } = stack;
  const real = engine.store.profiles;
  const profiles = new Proxy(real, {
    get(t, k) {
      if (k === 'setLink') return async () => Promise.reject(new Error('SQLITE_BUSY: database is locked'));
      const v = Reflect.get(t, k);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
  const store = new Proxy(engine.store, { get: (t, k) => (k === 'profiles' ? profiles : Reflect.get(t, k)) });
  return { ...engine, store, log: engine.log };
}

describe('linkAndResume', () => {
  it('a link that cannot be written is a link_failed code (logged), with nothing linked and no database text for the admin', async () => {
    const { engine } = stack;
    const profile = await addProfile(engine.store, T, 'project', 'Birch Lane');
    const customer = (await engine.lists.search(T, 'Customer', '', { limit: 1 }))[0]!;
    const out = await linkAndResume(failingLinks(), {
      teamId: T,
      userId: 'UADMIN',
      profileId: profile.id,
      choice: { entity: 'Customer', id: customer.id },
    });
    expect(out).toEqual({ ok: false, why: 'link_failed' });
    expect((await engine.store.profiles.get(T, profile.id))?.qboId).toBeNull();
    expect(stack.logs.some((l) => l.includes('fix-it link failed') && l.includes('SQLITE_BUSY'))).toBe(true);
    expect(linkRefusalText({ ok: false, why: 'link_failed' })).toBe(':x: Could not save the link. Try again, or link it in `/qbo settings`.');

    // The same choice on the real store links it.
    const ok = await linkAndResume(engine, { teamId: T, userId: 'UADMIN', profileId: profile.id, choice: { entity: 'Customer', id: customer.id } });
    expect(ok).toMatchObject({ ok: true, target: { id: customer.id }, resumed: 0, stillWaiting: 0 });
    expect((await engine.store.profiles.get(T, profile.id))?.qboId).toBe(customer.id);
  });

  it('an unknown profile or no choice is invalid_choice; a wrong kind of entry is unfit, naming the profile', async () => {
    const { engine } = stack;
    const item = (await engine.lists.search(T, 'Item', '', { limit: 1 }))[0]!;
    const none = await linkAndResume(engine, { teamId: T, userId: 'UADMIN', profileId: 99999, choice: { entity: 'Item', id: item.id } });
    expect(none).toEqual({ ok: false, why: 'invalid_choice' });
    const project = await addProfile(engine.store, T, 'project', 'Cedar Court');
    const unfit = await linkAndResume(engine, { teamId: T, userId: 'UADMIN', profileId: project.id, choice: { entity: 'Item', id: item.id } });
    expect(unfit).toMatchObject({ ok: false, why: 'unfit', profile: { name: 'Cedar Court' } });
    if (unfit.ok || unfit.why !== 'unfit') throw new Error('expected unfit');
    expect(linkRefusalText(unfit)).toBe("That QuickBooks entry can't be used for the project “Cedar Court”. Pick another, or open `/qbo settings`.");
  });
});
