import { accountFits } from '../qbo/accounts.ts';
import type { Store } from '../store/index.ts';
import type { LinkTarget, Profile, ProfileKind } from '../store/profiles.ts';

/**
 * The rules over local project and cost-code profiles (the data itself is `store.profiles`, src/store/profiles.ts):
 * names are trimmed and unique per kind regardless of case, a link must fit the profile's kind (and an account be one
 * an expense line may go to), and channels bind to projects only.
 */

export type { LinkTarget, Profile, ProfileKind };

export const KIND_LABEL: Record<ProfileKind, string> = { project: 'project', cost_code: 'cost code' };

/** Adds a profile (its workspace too, if new); one of that kind and name, in any case, is returned (linked if asked). */
export async function addProfile(store: Store, teamId: string, kind: ProfileKind, name: string, link?: LinkTarget, by?: string): Promise<Profile> {
  const clean = name.trim().replace(/\s+/g, ' ');
  if (!clean) throw new Error('A name is required');
  if (link) assertLinkFits(kind, link.entity);
  return store.tx(async (s) => {
    await s.workspaces.ensure(teamId);
    const existing = await s.profiles.findByName(teamId, kind, clean);
    if (existing) return link ? linkProfile(s, teamId, existing.id, link, by) : existing;
    const made = await s.profiles.insert(teamId, kind, clean, link, by);
    if (made) return made;
    // Lost a race to an insert of the same name (the unique index said no): that one is the profile.
    const other = await s.profiles.findByName(teamId, kind, clean);
    if (!other) throw new Error(`Could not add the ${KIND_LABEL[kind]} ${clean}`);
    return link ? linkProfile(s, teamId, other.id, link, by) : other;
  });
}

/** A project links to a customer (or QBO project), a cost code to an item or an account. */
const kindTakes = (kind: ProfileKind, entity: LinkTarget['entity']) =>
  kind === 'project' ? entity === 'Customer' : entity === 'Item' || entity === 'Account';

function assertLinkFits(kind: ProfileKind, entity: LinkTarget['entity']) {
  if (!kindTakes(kind, entity))
    throw new Error(
      kind === 'project' ? 'A project links to a QuickBooks customer or project' : 'A cost code links to a QuickBooks item or expense account',
    );
}

/**
 * Whether a cached QBO record may be linked to a profile of this kind: it exists, is active, is the right kind of
 * record, and an account is one an expense line may go to (src/qbo/accounts.ts). Every link path checks this.
 */
export function linkTargetFits(kind: ProfileKind, entity: LinkTarget['entity'], item: { active: boolean; type: string | null } | null): boolean {
  if (!item?.active) return false;
  return kindTakes(kind, entity) && (entity !== 'Account' || accountFits(item, 'expense'));
}

/** Links a profile to a QBO record of the kind it takes; throws for no such profile or a record of the wrong kind. */
export async function linkProfile(store: Store, teamId: string, id: number, link: LinkTarget, by?: string): Promise<Profile> {
  const p = await store.profiles.get(teamId, id);
  if (!p) throw new Error('No such profile');
  assertLinkFits(p.kind, link.entity);
  const linked = await store.profiles.setLink(teamId, id, link, by);
  if (!linked) throw new Error('No such profile');
  return linked;
}

export async function unlinkProfile(store: Store, teamId: string, id: number, by?: string): Promise<Profile> {
  const p = await store.profiles.setLink(teamId, id, null, by);
  if (!p) throw new Error('No such profile');
  return p;
}

/** Binds a channel to a project ("Channel = job"); anything but a project of this workspace is refused. */
export async function bindChannel(store: Store, teamId: string, channelId: string, projectProfileId: number, by?: string): Promise<void> {
  const p = await store.profiles.get(teamId, projectProfileId);
  if (p?.kind !== 'project') throw new Error('Channels bind to a project');
  await store.profiles.bind(teamId, channelId, projectProfileId, by);
}
