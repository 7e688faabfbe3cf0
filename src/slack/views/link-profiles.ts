import type { Profile } from '../../workspace/profiles.ts';
import { esc, mrkdwn, option, plain, truncate } from './common.ts';

/** "Link projects & cost codes": every local profile with its QBO link and a picker per row; pages past 100 blocks. */

export const LINK_CALLBACK = 'link_modal';
export const LINK_ADD_CALLBACK = 'link_add_modal';
export const LINK_IMPORT_CALLBACK = 'link_import_modal';
export const LINK_BIND_CALLBACK = 'link_bind_modal';

export const LA = {
  pick: 'link_pick',
  add: 'link_add_profile',
  import: 'link_import',
  bind: 'link_bind_channel',
  unbind: 'link_unbind',
  prev: 'link_page_prev',
  next: 'link_page_next',
  importCustomers: 'link_import_customers',
  importItems: 'link_import_items',
  importAll: 'link_import_all',
  addKind: 'link_add_kind',
  addName: 'link_add_name',
  bindChannel: 'link_bind_channel_select',
  bindProject: 'link_bind_project',
} as const;

/** A row's block id carries the profile id: the picker's suggestion and action handlers read it back. */
export const rowBlockId = (profileId: number) => `link_row:${profileId}`;
export function profileIdOfRow(blockId: string | undefined): number | null {
  const m = /^link_row:(\d+)$/.exec(blockId ?? '');
  return m ? Number(m[1]) : null;
}

/** Picker values: `C:<id>` customer, `I:<id>` item, `A:<id>` account, or `unlink`. */
export const UNLINK_VALUE = 'unlink';
export function linkValue(entity: 'Customer' | 'Item' | 'Account', id: string): string {
  return `${entity[0]}:${id}`;
}
export function parseLinkValue(v: string): { entity: 'Customer' | 'Item' | 'Account'; id: string } | 'unlink' | null {
  if (v === UNLINK_VALUE) return 'unlink';
  const m = /^([CIA]):(.+)$/.exec(v);
  if (!m) return null;
  return { entity: m[1] === 'C' ? 'Customer' : m[1] === 'I' ? 'Item' : 'Account', id: m[2] };
}

/** Rows per page: with the fixed blocks and up to MAX_BINDINGS_SHOWN bindings the view stays well under 100 blocks. */
export const PAGE_SIZE = 60;
export const MAX_BINDINGS_SHOWN = 15;

export interface LinkViewState {
  profiles: Profile[];
  bindings: Array<{ channelId: string; projectName: string }>;
  page: number;
  connected: boolean;
  notice?: string | null;
  /** Linked profiles whose QBO entry is gone or inactive in the cached lists (e.g. after connecting another company). */
  stale?: ReadonlySet<number>;
}

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

function rowText(p: Profile, stale: boolean): string {
  const name = `*${esc(truncate(p.name, 200))}*`;
  if (!p.qboId) return `${name}  →  :warning: _not linked_`;
  const what = p.qboEntity === 'Customer' ? 'customer' : p.qboEntity === 'Item' ? 'item' : 'account';
  return `${name}  →  ${esc(truncate(p.qboName ?? p.qboId, 200))} _(QuickBooks ${what})_${stale ? `  :warning: _no longer active in QuickBooks: pick another_` : ''}`;
}

export function linkProfilesView(s: LinkViewState): any {
  const pages = pageCount(s.profiles.length);
  const page = Math.min(Math.max(0, s.page), pages - 1);
  const linked = s.profiles.filter((p) => p.qboId).length;
  const blocks: any[] = [];
  blocks.push({
    type: 'section',
    text: mrkdwn(
      s.profiles.length === 0
        ? 'No projects or cost codes yet. *Import from QuickBooks* creates and links them in one step, or add them one by one.'
        : `Invoices sync only when their project and cost code are linked to QuickBooks. *${linked} of ${s.profiles.length}* linked.`,
    ),
  });
  const tools: any[] = [{ type: 'button', action_id: LA.add, text: plain('Add project or cost code'), value: 'add' }];
  if (s.connected) tools.push({ type: 'button', action_id: LA.import, text: plain('Import from QuickBooks'), value: 'import', style: 'primary' });
  tools.push({ type: 'button', action_id: LA.bind, text: plain('Bind a channel to a project'), value: 'bind' });
  blocks.push({ type: 'actions', block_id: 'link_tools', elements: tools });
  if (s.notice) blocks.push({ type: 'context', elements: [mrkdwn(s.notice)] });
  if (!s.connected)
    blocks.push({ type: 'context', elements: [mrkdwn(':warning: Connect QuickBooks in settings to pick what each profile links to.')] });

  const rows = s.profiles.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  let kind: string | null = null;
  for (const p of rows) {
    if (p.kind !== kind) {
      kind = p.kind;
      blocks.push({ type: 'header', text: plain(kind === 'project' ? 'Projects' : 'Cost codes', 150) });
    }
    const row: any = { type: 'section', block_id: rowBlockId(p.id), text: mrkdwn(rowText(p, !!s.stale?.has(p.id))) };
    if (s.connected) {
      row.accessory = {
        type: 'external_select',
        action_id: LA.pick,
        min_query_length: 0,
        placeholder: plain(p.qboId ? 'Change link' : p.kind === 'project' ? 'Link to a customer' : 'Link to an item'),
        ...(p.qboId && p.qboEntity ? { initial_option: option(truncate(p.qboName ?? p.qboId, 75), linkValue(p.qboEntity, p.qboId)) } : {}),
      };
    }
    blocks.push(row);
  }
  if (pages > 1) {
    const nav: any[] = [];
    if (page > 0) nav.push({ type: 'button', action_id: LA.prev, text: plain('← Previous'), value: String(page - 1) });
    if (page < pages - 1) nav.push({ type: 'button', action_id: LA.next, text: plain('Next →'), value: String(page + 1) });
    blocks.push({ type: 'context', elements: [mrkdwn(`Page ${page + 1} of ${pages} (${s.profiles.length} profiles)`)] });
    blocks.push({ type: 'actions', block_id: 'link_paging', elements: nav });
  }

  blocks.push({ type: 'divider' });
  blocks.push({ type: 'header', text: plain('Channel = job', 150) });
  if (s.bindings.length === 0) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn('No channel is bound to a project. Invoices shared in a bound channel default to its project.')],
    });
  }
  for (const b of s.bindings.slice(0, MAX_BINDINGS_SHOWN)) {
    blocks.push({
      type: 'section',
      block_id: `link_binding:${b.channelId}`,
      text: mrkdwn(`<#${b.channelId}>  →  *${esc(truncate(b.projectName, 200))}*`),
      accessory: { type: 'button', action_id: LA.unbind, text: plain('Unbind'), value: b.channelId },
    });
  }
  if (s.bindings.length > MAX_BINDINGS_SHOWN) {
    blocks.push({ type: 'context', elements: [mrkdwn(`…and ${s.bindings.length - MAX_BINDINGS_SHOWN} more bound channels.`)] });
  }

  return {
    type: 'modal',
    callback_id: LINK_CALLBACK,
    title: plain('Projects & cost codes', 24),
    close: plain('Done', 24),
    private_metadata: JSON.stringify({ page }),
    blocks,
  };
}

export function linkPageOf(privateMetadata: string | undefined): number {
  try {
    const p = JSON.parse(privateMetadata || '{}').page;
    return Number.isInteger(p) && p >= 0 ? p : 0;
  } catch {
    return 0;
  }
}

/** Pushed views carry the id of the link view below them, to refresh it after they close. */
export interface ChildMeta {
  parent: string | null;
}
export function childMeta(privateMetadata: string | undefined): ChildMeta {
  try {
    const p = JSON.parse(privateMetadata || '{}').parent;
    return { parent: typeof p === 'string' ? p : null };
  } catch {
    return { parent: null };
  }
}

export function addProfileView(parentViewId: string | null): any {
  const kinds = [option('Project', 'project'), option('Cost code', 'cost_code')];
  return {
    type: 'modal',
    callback_id: LINK_ADD_CALLBACK,
    title: plain('Add a profile', 24),
    submit: plain('Add', 24),
    close: plain('Back', 24),
    private_metadata: JSON.stringify({ parent: parentViewId }),
    blocks: [
      {
        type: 'input',
        block_id: 'link_add_kind',
        label: plain('Kind'),
        element: { type: 'radio_buttons', action_id: LA.addKind, options: kinds, initial_option: kinds[0] },
      },
      {
        type: 'input',
        block_id: 'link_add_name',
        label: plain('Name'),
        element: { type: 'plain_text_input', action_id: LA.addName, max_length: 100, placeholder: plain('e.g. Oak Street or 03-300 Concrete') },
        hint: plain('Link it to QuickBooks afterwards from the list.'),
      },
    ],
  };
}

export function importView(parentViewId: string | null): any {
  const all = [option('Every active customer and project', 'customers'), option('Every active item', 'items')];
  return {
    type: 'modal',
    callback_id: LINK_IMPORT_CALLBACK,
    title: plain('Import from QuickBooks', 24),
    submit: plain('Import', 24),
    close: plain('Back', 24),
    private_metadata: JSON.stringify({ parent: parentViewId }),
    blocks: [
      {
        type: 'section',
        text: mrkdwn('Creates a project for each chosen QuickBooks customer or project, and a cost code for each chosen item, already linked.'),
      },
      {
        type: 'input',
        block_id: 'link_import_customers',
        optional: true,
        label: plain('Projects'),
        element: {
          type: 'multi_external_select',
          action_id: LA.importCustomers,
          min_query_length: 0,
          placeholder: plain('QuickBooks customers and projects'),
        },
      },
      {
        type: 'input',
        block_id: 'link_import_items',
        optional: true,
        label: plain('Cost codes'),
        element: { type: 'multi_external_select', action_id: LA.importItems, min_query_length: 0, placeholder: plain('QuickBooks items') },
      },
      {
        type: 'input',
        block_id: 'link_import_all',
        optional: true,
        label: plain('Import all'),
        element: { type: 'checkboxes', action_id: LA.importAll, options: all },
      },
    ],
  };
}

export function bindChannelView(parentViewId: string | null): any {
  return {
    type: 'modal',
    callback_id: LINK_BIND_CALLBACK,
    title: plain('Channel = job', 24),
    submit: plain('Bind', 24),
    close: plain('Back', 24),
    private_metadata: JSON.stringify({ parent: parentViewId }),
    blocks: [
      {
        type: 'input',
        block_id: 'link_bind_channel',
        label: plain('Channel'),
        element: {
          type: 'conversations_select',
          action_id: LA.bindChannel,
          placeholder: plain('A project channel'),
          filter: { include: ['public', 'private'], exclude_bot_users: true },
        },
      },
      {
        type: 'input',
        block_id: 'link_bind_project',
        label: plain('Project'),
        element: { type: 'external_select', action_id: LA.bindProject, min_query_length: 0, placeholder: plain('A project') },
        hint: plain('Invoices shared in this channel get this project preselected.'),
      },
    ],
  };
}
