import { expect, it } from 'vitest';
import { createStore } from '../../src/store/index.ts';
import { addProfile, bindChannel, linkProfile, linkTargetFits, unlinkProfile } from '../../src/workspace/profiles.ts';
import { forEachDialect } from '../store/dialects.ts';

/** The profile rules over store.profiles, on both databases: what an admin adding, linking and binding would see. */
forEachDialect('profile rules', (makeConn) => {
  const fresh = async () => createStore(await makeConn());
  const customer = { entity: 'Customer' as const, id: '58', name: 'Smith Co:Oak Street' };

  it('adding a name that exists in another case or spacing returns that profile, never a second one', async () => {
    const store = await fresh();
    const oak = await addProfile(store, 'T1', 'project', '  Oak   Street ');
    expect(oak.name).toBe('Oak Street');
    expect((await addProfile(store, 'T1', 'project', 'oak street')).id).toBe(oak.id);
    // The same name as a cost code, or in another workspace, is another profile.
    const code = await addProfile(store, 'T1', 'cost_code', 'Oak Street');
    const other = await addProfile(store, 'T2', 'project', 'Oak Street');
    expect(new Set([oak.id, code.id, other.id]).size).toBe(3);
    expect((await store.profiles.list('T1')).map((p) => `${p.kind}:${p.name}`)).toEqual(['cost_code:Oak Street', 'project:Oak Street']);
    await expect(addProfile(store, 'T1', 'project', '   ')).rejects.toThrow('A name is required');
  });

  it('adding with a link links the existing profile; a link of the wrong kind is refused and changes nothing', async () => {
    const store = await fresh();
    const oak = await addProfile(store, 'T1', 'project', 'Oak Street');
    const linked = await addProfile(store, 'T1', 'project', 'OAK STREET', customer, 'UADMIN');
    expect(linked).toMatchObject({ id: oak.id, qboEntity: 'Customer', qboId: '58', qboName: 'Smith Co:Oak Street', linkedBy: 'UADMIN' });
    const item = { entity: 'Item' as const, id: '7', name: 'Concrete' };
    await expect(addProfile(store, 'T1', 'project', 'Elm Avenue', item)).rejects.toThrow('A project links to a QuickBooks customer');
    expect(await store.profiles.findByName('T1', 'project', 'Elm Avenue')).toBeNull();
    await expect(linkProfile(store, 'T1', oak.id, item)).rejects.toThrow('A project links to a QuickBooks customer');
    expect((await store.profiles.get('T1', oak.id))?.qboId).toBe('58');
    const code = await addProfile(store, 'T1', 'cost_code', 'Framing');
    await expect(linkProfile(store, 'T1', code.id, customer)).rejects.toThrow('A cost code links to a QuickBooks item or expense account');
  });

  it("another workspace's profile cannot be linked, unlinked or bound", async () => {
    const store = await fresh();
    const oak = await addProfile(store, 'T1', 'project', 'Oak Street', customer);
    await expect(linkProfile(store, 'T2', oak.id, customer)).rejects.toThrow('No such profile');
    await expect(unlinkProfile(store, 'T2', oak.id)).rejects.toThrow('No such profile');
    await expect(bindChannel(store, 'T2', 'CJOB1', oak.id)).rejects.toThrow('Channels bind to a project');
    expect(await store.profiles.channelProject('T2', 'CJOB1')).toBeNull();
    expect((await store.profiles.get('T1', oak.id))?.qboId).toBe('58');
    const unlinked = await unlinkProfile(store, 'T1', oak.id, 'UADMIN');
    expect(unlinked).toMatchObject({ qboEntity: null, qboId: null, qboName: null, linkedBy: 'UADMIN' });
  });

  it('a channel binds to a project, not to a cost code; binding again moves it', async () => {
    const store = await fresh();
    const oak = await addProfile(store, 'T1', 'project', 'Oak Street');
    const elm = await addProfile(store, 'T1', 'project', 'Elm Avenue');
    const code = await addProfile(store, 'T1', 'cost_code', 'Framing');
    await expect(bindChannel(store, 'T1', 'CJOB1', code.id)).rejects.toThrow('Channels bind to a project');
    expect(await store.profiles.channelProject('T1', 'CJOB1')).toBeNull();
    await bindChannel(store, 'T1', 'CJOB1', oak.id, 'UADMIN');
    expect((await store.profiles.channelProject('T1', 'CJOB1'))?.name).toBe('Oak Street');
    await bindChannel(store, 'T1', 'CJOB1', elm.id, 'UADMIN');
    expect((await store.profiles.channelProject('T1', 'CJOB1'))?.name).toBe('Elm Avenue');
    expect(await store.profiles.bindings('T1')).toHaveLength(1);
  });

  it('an import in one transaction keeps nothing when one of its profiles is refused', async () => {
    const store = await fresh();
    const run = store.tx(async (s) => {
      await addProfile(s, 'T1', 'project', 'Oak Street', customer);
      await addProfile(s, 'T1', 'cost_code', 'Concrete', { entity: 'Customer', id: '9', name: 'Not an item' });
    });
    await expect(run).rejects.toThrow('A cost code links to a QuickBooks item');
    expect(await store.profiles.list('T1')).toEqual([]);
  });
});

it('a link target must be active, of the kind the profile takes, and an account one an expense line may use', () => {
  const expense = { active: true, type: 'Expense' };
  expect(linkTargetFits('cost_code', 'Account', expense)).toBe(true);
  expect(linkTargetFits('cost_code', 'Account', { active: true, type: 'Bank' })).toBe(false);
  expect(linkTargetFits('cost_code', 'Account', { active: false, type: 'Expense' })).toBe(false);
  expect(linkTargetFits('cost_code', 'Item', { active: true, type: 'Service' })).toBe(true);
  expect(linkTargetFits('project', 'Customer', { active: true, type: null })).toBe(true);
  expect(linkTargetFits('project', 'Item', { active: true, type: 'Service' })).toBe(false);
  expect(linkTargetFits('project', 'Customer', null)).toBe(false);
});
