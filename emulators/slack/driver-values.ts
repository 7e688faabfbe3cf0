// How the driver finds an input by its label and turns a value the test gives into Slack's view.state entry and
// block_actions action, checking it against the element's own constraints as Slack's client does.
import { elementsOf, plainTextOf } from './blockkit.ts';
import { nextTs } from './store.ts';
import type { SubmitValue } from './driver.ts';

export type Found = { block: any; element: any };
export function labelOf(block: any): string | undefined {
  if (block.type === 'input') return plainTextOf(block.label);
  if (block.type === 'section') return plainTextOf(block.text);
  return undefined;
}
export function findByLabel(blocks: any[], label: string, accept: (e: any) => boolean, what: string): Found {
  const all = [...elementsOf(blocks)].filter((x) => accept(x.element));
  const tries: Array<(x: Found) => boolean> = [
    (x) => labelOf(x.block) === label,
    (x) => (labelOf(x.block) ?? '').trim().toLowerCase() === label.trim().toLowerCase(),
    (x) => x.block.block_id === label || x.element.action_id === label,
  ];
  for (const t of tries) {
    const hits = all.filter(t);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) throw new Error(`${what}: label '${label}' matches ${hits.length} elements`);
  }
  const labels = [...elementsOf(blocks)].map((x) => labelOf(x.block) ?? `${x.block.block_id}/${x.element.action_id}`).filter(Boolean);
  throw new Error(`${what}: no element labelled '${label}'. Labels present: ${labels.map((l) => `'${l}'`).join(', ') || '(none)'}`);
}

export function optionsOf(e: any): any[] {
  if (Array.isArray(e.options)) return e.options;
  if (Array.isArray(e.option_groups)) return e.option_groups.flatMap((g: any) => g.options ?? []);
  return [];
}
export function pickOption(e: any, v: string | { value: string; text?: string }, label: string): any {
  const value = typeof v === 'string' ? v : v.value;
  if (e.type === 'external_select' || e.type === 'multi_external_select') {
    const text = typeof v === 'string' ? v : (v.text ?? v.value);
    return { text: { type: 'plain_text', text, emoji: true }, value };
  }
  const opts = optionsOf(e);
  const hit = opts.find((x) => x.value === value) ?? opts.find((x) => plainTextOf(x.text) === value);
  if (!hit) throw new Error(`'${label}': no option '${value}'. Options: ${opts.map((x) => `${plainTextOf(x.text)}=${x.value}`).join(', ')}`);
  return structuredClone(hit);
}

/** The state value a person produces by entering `v` into element `e` (with Slack's client-side checks). */
export function stateValue(e: any, v: SubmitValue, label: string): Record<string, any> {
  const t = e.type as string;
  const str = (): string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v && 'value' in v) return v.value;
    throw new Error(`'${label}' (${t}) takes a string`);
  };
  const arr = (): Array<string | { value: string; text?: string }> => (Array.isArray(v) ? v : [str()]);
  switch (t) {
    case 'plain_text_input': {
      const s = str();
      if (e.max_length !== undefined && s.length > e.max_length) throw new Error(`Slack would not submit: '${label}' is longer than ${e.max_length}`);
      if (e.min_length !== undefined && s.length > 0 && s.length < e.min_length)
        throw new Error(`Slack would not submit: '${label}' is shorter than ${e.min_length}`);
      if (!e.multiline && s.includes('\n')) throw new Error(`'${label}' is single-line`);
      return { type: t, value: s === '' ? null : s };
    }
    case 'email_text_input': {
      const s = str();
      if (s && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)) throw new Error(`Slack would not submit: '${label}' is not an e-mail address`);
      return { type: t, value: s || null };
    }
    case 'url_text_input': {
      const s = str();
      if (s && !/^https?:\/\/\S+$/.test(s)) throw new Error(`Slack would not submit: '${label}' is not a URL`);
      return { type: t, value: s || null };
    }
    case 'number_input': {
      const s = typeof v === 'number' ? String(v) : str();
      if (s !== '') {
        const re = e.is_decimal_allowed ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/;
        if (!re.test(s))
          throw new Error(`Slack would not submit: '${label}' must be ${e.is_decimal_allowed ? 'a number' : 'a whole number'} (got '${s}')`);
        if (e.min_value !== undefined && Number(s) < Number(e.min_value))
          throw new Error(`Slack would not submit: '${label}' is below ${e.min_value}`);
        if (e.max_value !== undefined && Number(s) > Number(e.max_value))
          throw new Error(`Slack would not submit: '${label}' is above ${e.max_value}`);
      }
      return { type: t, value: s || null };
    }
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return {
        type: t,
        selected_option: pickOption(e, typeof v === 'object' && !Array.isArray(v) && v && 'value' in v ? v : str(), label),
      };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes': {
      if (typeof v === 'boolean') {
        if (t !== 'checkboxes') throw new Error(`'${label}' (${t}) takes an array`);
        const opts = optionsOf(e);
        if (v && opts.length !== 1) throw new Error(`'${label}': true only works for a single checkbox; pass the option values`);
        return { type: t, selected_options: v ? structuredClone(opts) : [] };
      }
      const sel = arr().map((x) => pickOption(e, x, label));
      if (e.max_selected_items !== undefined && sel.length > e.max_selected_items)
        throw new Error(`Slack would not submit: '${label}' allows ${e.max_selected_items}`);
      return { type: t, selected_options: sel };
    }
    case 'users_select':
      return { type: t, selected_user: str() || null };
    case 'multi_users_select':
      return { type: t, selected_users: arr().map((x) => (typeof x === 'string' ? x : x.value)) };
    case 'conversations_select':
      return { type: t, selected_conversation: str() || null };
    case 'multi_conversations_select':
      return { type: t, selected_conversations: arr().map((x) => (typeof x === 'string' ? x : x.value)) };
    case 'channels_select':
      return { type: t, selected_channel: str() || null };
    case 'multi_channels_select':
      return { type: t, selected_channels: arr().map((x) => (typeof x === 'string' ? x : x.value)) };
    case 'datepicker': {
      const s = str();
      if (s && !/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new Error(`'${label}': datepicker takes YYYY-MM-DD (got '${s}')`);
      return { type: t, selected_date: s || null };
    }
    case 'timepicker':
      return { type: t, selected_time: str() || null };
    case 'datetimepicker':
      return { type: t, selected_date_time: Number(str()) };
    case 'file_input': {
      if (typeof v !== 'object' || v === null || !('files' in v)) throw new Error(`'${label}' (file_input) takes { files: SlackFile[] }`);
      const max = e.max_files ?? 10;
      if (v.files.length > max) throw new Error(`Slack would not submit: '${label}' takes at most ${max} files`);
      if (Array.isArray(e.filetypes) && e.filetypes.length) {
        for (const f of v.files)
          if (!e.filetypes.includes(f.filetype))
            throw new Error(`Slack would not accept '${f.name}' in '${label}': filetypes ${e.filetypes.join(', ')}`);
      }
      return { type: t, files: v.files.map((f) => structuredClone(f)) };
    }
    case 'rich_text_input': {
      const s = str();
      return {
        type: t,
        rich_text_value: s ? { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: s }] }] } : null,
      };
    }
    default:
      throw new Error(`'${label}': element type ${t} holds no value`);
  }
}

export function isEmpty(sv: Record<string, any>): boolean {
  for (const [k, val] of Object.entries(sv)) {
    if (k === 'type') continue;
    if (val === null || val === undefined || val === '') continue;
    if (Array.isArray(val) && val.length === 0) continue;
    return false;
  }
  return true;
}

export function actionFromState(block: any, e: any, sv: Record<string, any>) {
  const { type: _t, ...rest } = sv;
  const a: Record<string, any> = {
    type: e.type,
    action_id: e.action_id,
    block_id: block.block_id,
    ...rest,
    action_ts: nextTs(),
  };
  if (e.placeholder) a.placeholder = e.placeholder;
  return a;
}
