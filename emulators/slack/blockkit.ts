// Block Kit validation, as strict as Slack's server is (see /work/shared/docs/slack.md "Block Kit limits").
// Every problem is reported Slack-style: `[ERROR] <what> [json-pointer:/path]`. A non-empty list means the
// fake answers the call with ok:false (`invalid_arguments` for views, `invalid_blocks` for messages).

type J = any;
export type Surface = 'modal' | 'home' | 'message';

const TEXT_TYPES = ['plain_text', 'mrkdwn'];

/** Elements that may sit in an input block. */
const INPUT_ELEMENTS = new Set([
  'plain_text_input', 'email_text_input', 'url_text_input', 'number_input', 'checkboxes', 'radio_buttons',
  'datepicker', 'timepicker', 'datetimepicker', 'static_select', 'external_select', 'users_select',
  'conversations_select', 'channels_select', 'multi_static_select', 'multi_external_select', 'multi_users_select',
  'multi_conversations_select', 'multi_channels_select', 'file_input', 'rich_text_input',
]);
/** Elements that may sit in an actions block. */
const ACTION_ELEMENTS = new Set([
  'button', 'checkboxes', 'datepicker', 'datetimepicker', 'multi_static_select', 'multi_external_select',
  'multi_users_select', 'multi_conversations_select', 'multi_channels_select', 'overflow', 'radio_buttons',
  'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select', 'timepicker',
  'workflow_button', 'rich_text_input',
]);
/** Elements that may be a section accessory. */
const ACCESSORY_ELEMENTS = new Set([
  'button', 'checkboxes', 'datepicker', 'image', 'multi_static_select', 'multi_external_select', 'multi_users_select',
  'multi_conversations_select', 'multi_channels_select', 'overflow', 'radio_buttons', 'static_select',
  'external_select', 'users_select', 'conversations_select', 'channels_select', 'timepicker', 'workflow_button',
]);

const COMMON_ELEMENT_KEYS = ['type', 'action_id', 'focus_on_load'];
const ELEMENT_KEYS: Record<string, string[]> = {
  button: ['type', 'text', 'action_id', 'url', 'value', 'style', 'confirm', 'accessibility_label'],
  static_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'options', 'option_groups', 'initial_option', 'confirm'],
  external_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_option', 'min_query_length', 'confirm'],
  users_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_user', 'confirm'],
  conversations_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_conversation', 'default_to_current_conversation', 'confirm', 'response_url_enabled', 'filter'],
  channels_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_channel', 'confirm', 'response_url_enabled'],
  multi_static_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'options', 'option_groups', 'initial_options', 'confirm', 'max_selected_items'],
  multi_external_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_options', 'min_query_length', 'confirm', 'max_selected_items'],
  multi_users_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_users', 'confirm', 'max_selected_items'],
  multi_conversations_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_conversations', 'default_to_current_conversation', 'confirm', 'max_selected_items', 'filter'],
  multi_channels_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_channels', 'confirm', 'max_selected_items'],
  overflow: ['type', 'action_id', 'options', 'confirm'],
  checkboxes: [...COMMON_ELEMENT_KEYS, 'options', 'initial_options', 'confirm'],
  radio_buttons: [...COMMON_ELEMENT_KEYS, 'options', 'initial_option', 'confirm'],
  datepicker: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_date', 'confirm'],
  timepicker: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_time', 'confirm', 'timezone'],
  datetimepicker: [...COMMON_ELEMENT_KEYS, 'initial_date_time', 'confirm'],
  plain_text_input: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_value', 'multiline', 'min_length', 'max_length', 'dispatch_action_config'],
  email_text_input: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_value', 'dispatch_action_config'],
  url_text_input: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_value', 'dispatch_action_config'],
  number_input: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_value', 'is_decimal_allowed', 'min_value', 'max_value', 'dispatch_action_config'],
  file_input: ['type', 'action_id', 'filetypes', 'max_files'],
  rich_text_input: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_value', 'dispatch_action_config'],
  workflow_button: ['type', 'text', 'action_id', 'workflow', 'style', 'accessibility_label'],
  image: ['type', 'image_url', 'slack_file', 'alt_text'],
};

const BLOCK_KEYS: Record<string, string[]> = {
  section: ['type', 'block_id', 'text', 'fields', 'accessory', 'expand'],
  divider: ['type', 'block_id'],
  header: ['type', 'block_id', 'text'],
  image: ['type', 'block_id', 'image_url', 'slack_file', 'alt_text', 'title'],
  context: ['type', 'block_id', 'elements'],
  actions: ['type', 'block_id', 'elements'],
  input: ['type', 'block_id', 'label', 'element', 'dispatch_action', 'hint', 'optional'],
  rich_text: ['type', 'block_id', 'elements'],
  file: ['type', 'block_id', 'external_id', 'source'],
  video: ['type', 'block_id', 'alt_text', 'author_name', 'description', 'provider_icon_url', 'provider_name', 'title', 'title_url', 'thumbnail_url', 'video_url'],
  markdown: ['type', 'block_id', 'text'],
};

const VIEW_KEYS = ['type', 'title', 'blocks', 'close', 'submit', 'private_metadata', 'callback_id', 'clear_on_close',
  'notify_on_close', 'external_id', 'submit_disabled'];

export const LIMITS = {
  viewBlocks: 100,
  messageBlocks: 50,
  modalTitle: 24,
  privateMetadata: 3000,
  id: 255,
  staticOptions: 100,
  optionText: 75,
  optionValue: 75, // docs/slack.md: option text/value/description <= 75
  radioOrCheckboxOptions: 10,
  sectionText: 3000,
  sectionField: 2000,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  viewBytes: 250 * 1024,
  headerText: 150,
  placeholder: 150,
  label: 2000,
  hint: 2000,
  altText: 2000,
  contextElements: 10,
  actionsElements: 25,
  sectionFields: 10,
  overflowMin: 2,
  overflowMax: 5,
  maxFiles: 10,
  textInputLength: 3000,
};

class Ctx {
  errors: string[] = [];
  constructor(public surface: Surface) {}
  err(msg: string, ptr: string) { this.errors.push(`[ERROR] ${msg} [json-pointer:${ptr}]`); }
}

const isObj = (v: unknown): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkKeys(c: Ctx, o: Record<string, J>, allowed: string[], ptr: string) {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) c.err(`unsupported property '${k}'`, `${ptr}/${k}`);
}

function checkString(c: Ctx, v: J, ptr: string, max: number, { required = false, min = 0 } = {}) {
  if (v === undefined || v === null) { if (required) c.err('missing required field', ptr); return; }
  if (typeof v !== 'string') { c.err('must be a string', ptr); return; }
  if (v.length < min) c.err(`must be at least ${min} character${min === 1 ? '' : 's'}`, ptr);
  if (v.length > max) c.err(`must be less than ${max + 1} characters`, ptr);
}

/** A text composition object. `plainOnly` for labels, titles, placeholders, select options, buttons… */
function checkText(c: Ctx, t: J, ptr: string, max: number, { plainOnly = false, required = true } = {}) {
  if (t === undefined || t === null) { if (required) c.err('missing required field', ptr); return; }
  if (!isObj(t)) { c.err('must be a text object', ptr); return; }
  if (!TEXT_TYPES.includes(t.type)) { c.err(`must be one of: ${TEXT_TYPES.join(', ')}`, `${ptr}/type`); return; }
  if (plainOnly && t.type !== 'plain_text') c.err('must be a plain_text object', `${ptr}/type`);
  checkKeys(c, t, t.type === 'plain_text' ? ['type', 'text', 'emoji'] : ['type', 'text', 'verbatim'], ptr);
  checkString(c, t.text, `${ptr}/text`, max, { required: true, min: 1 });
  if (t.emoji !== undefined && typeof t.emoji !== 'boolean') c.err('must be a boolean', `${ptr}/emoji`);
  if (t.verbatim !== undefined && typeof t.verbatim !== 'boolean') c.err('must be a boolean', `${ptr}/verbatim`);
}

function checkUrl(c: Ctx, v: J, ptr: string, required = false) {
  checkString(c, v, ptr, LIMITS.url, { required, min: 1 });
  if (typeof v === 'string' && v && !/^(https?|mailto|slack):/i.test(v)) c.err('must be a valid URL', ptr);
}

function checkConfirm(c: Ctx, v: J, ptr: string) {
  if (v === undefined) return;
  if (!isObj(v)) { c.err('must be an object', ptr); return; }
  checkKeys(c, v, ['title', 'text', 'confirm', 'deny', 'style'], ptr);
  checkText(c, v.title, `${ptr}/title`, 100, { plainOnly: true });
  checkText(c, v.text, `${ptr}/text`, 300);
  checkText(c, v.confirm, `${ptr}/confirm`, 30, { plainOnly: true });
  checkText(c, v.deny, `${ptr}/deny`, 30, { plainOnly: true });
}

/** Option object. In selects and overflow menus text must be plain_text; radio/checkboxes allow mrkdwn. */
function checkOption(c: Ctx, o: J, ptr: string, plainOnly: boolean) {
  if (!isObj(o)) { c.err('must be an option object', ptr); return; }
  checkKeys(c, o, ['text', 'value', 'description', 'url'], ptr);
  checkText(c, o.text, `${ptr}/text`, LIMITS.optionText, { plainOnly });
  checkString(c, o.value, `${ptr}/value`, LIMITS.optionValue, { required: true, min: 1 });
  if (o.description !== undefined) checkText(c, o.description, `${ptr}/description`, LIMITS.optionText, { plainOnly });
  if (o.url !== undefined) checkUrl(c, o.url, `${ptr}/url`);
}

function sameOption(a: J, b: J): boolean {
  return isObj(a) && isObj(b) && a.value === b.value && a.text?.text === b.text?.text && a.text?.type === b.text?.type;
}

function checkOptions(c: Ctx, opts: J, ptr: string, max: number, plainOnly: boolean, min = 1): J[] {
  if (!Array.isArray(opts)) { c.err('must be an array', ptr); return []; }
  if (opts.length < min) c.err(`must provide at least ${min} item${min === 1 ? '' : 's'}`, ptr);
  if (opts.length > max) c.err(`must provide no more than ${max} items`, ptr);
  opts.forEach((o, i) => checkOption(c, o, `${ptr}/${i}`, plainOnly));
  const seen = new Set<string>();
  opts.forEach((o, i) => {
    if (isObj(o) && typeof o.value === 'string') {
      if (seen.has(o.value)) c.err('option values must be unique', `${ptr}/${i}/value`);
      seen.add(o.value);
    }
  });
  return opts;
}

function checkOptionSource(c: Ctx, e: J, ptr: string): J[] {
  // static selects: exactly one of options / option_groups
  if (e.options !== undefined && e.option_groups !== undefined) {
    c.err('must provide either options or option_groups, not both', ptr); return [];
  }
  if (e.option_groups !== undefined) {
    if (!Array.isArray(e.option_groups)) { c.err('must be an array', `${ptr}/option_groups`); return []; }
    if (e.option_groups.length > LIMITS.staticOptions) c.err(`must provide no more than ${LIMITS.staticOptions} items`, `${ptr}/option_groups`);
    const all: J[] = [];
    e.option_groups.forEach((g: J, i: number) => {
      const gp = `${ptr}/option_groups/${i}`;
      if (!isObj(g)) { c.err('must be an option group', gp); return; }
      checkKeys(c, g, ['label', 'options'], gp);
      checkText(c, g.label, `${gp}/label`, 75, { plainOnly: true });
      all.push(...checkOptions(c, g.options, `${gp}/options`, LIMITS.staticOptions, true));
    });
    return all;
  }
  if (e.options === undefined) { c.err('must provide either options or option_groups', ptr); return []; }
  return checkOptions(c, e.options, `${ptr}/options`, LIMITS.staticOptions, true);
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
function validDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function checkElement(c: Ctx, e: J, ptr: string, allowed: Set<string>, where: string) {
  if (!isObj(e)) { c.err('must be an element object', ptr); return; }
  if (typeof e.type !== 'string' || !ELEMENT_KEYS[e.type]) { c.err(`unsupported element type '${e?.type}'`, `${ptr}/type`); return; }
  if (!allowed.has(e.type)) { c.err(`element type '${e.type}' is not allowed in ${where}`, `${ptr}/type`); return; }
  checkKeys(c, e, ELEMENT_KEYS[e.type], ptr);
  if (e.action_id !== undefined) checkString(c, e.action_id, `${ptr}/action_id`, LIMITS.id, { min: 1 });
  if (e.placeholder !== undefined) checkText(c, e.placeholder, `${ptr}/placeholder`, LIMITS.placeholder, { plainOnly: true });
  checkConfirm(c, e.confirm, `${ptr}/confirm`);
  switch (e.type) {
    case 'button':
      checkText(c, e.text, `${ptr}/text`, LIMITS.buttonText, { plainOnly: true });
      if (e.url !== undefined) checkUrl(c, e.url, `${ptr}/url`);
      checkString(c, e.value, `${ptr}/value`, LIMITS.buttonValue);
      if (e.style !== undefined && !['primary', 'danger'].includes(e.style)) c.err('must be one of: primary, danger', `${ptr}/style`);
      break;
    case 'static_select': {
      const opts = checkOptionSource(c, e, ptr);
      if (e.initial_option !== undefined && !opts.some((o) => sameOption(o, e.initial_option)))
        c.err('initial_option must exactly match one of the provided options', `${ptr}/initial_option`);
      break;
    }
    case 'multi_static_select': {
      const opts = checkOptionSource(c, e, ptr);
      if (e.initial_options !== undefined) {
        if (!Array.isArray(e.initial_options)) c.err('must be an array', `${ptr}/initial_options`);
        else e.initial_options.forEach((io: J, i: number) => {
          if (!opts.some((o) => sameOption(o, io))) c.err('initial_options must exactly match the provided options', `${ptr}/initial_options/${i}`);
        });
      }
      break;
    }
    case 'external_select':
      if (e.initial_option !== undefined) checkOption(c, e.initial_option, `${ptr}/initial_option`, true);
      if (e.min_query_length !== undefined && (!Number.isInteger(e.min_query_length) || e.min_query_length < 0))
        c.err('must be a non-negative integer', `${ptr}/min_query_length`);
      break;
    case 'multi_external_select':
      if (e.initial_options !== undefined) checkOptions(c, e.initial_options, `${ptr}/initial_options`, LIMITS.staticOptions, true, 0);
      break;
    case 'overflow':
      checkOptions(c, e.options, `${ptr}/options`, LIMITS.overflowMax, true, LIMITS.overflowMin);
      break;
    case 'checkboxes': case 'radio_buttons': {
      const opts = checkOptions(c, e.options, `${ptr}/options`, LIMITS.radioOrCheckboxOptions, false);
      if (e.type === 'radio_buttons' && e.initial_option !== undefined && !opts.some((o) => sameOption(o, e.initial_option)))
        c.err('initial_option must exactly match one of the provided options', `${ptr}/initial_option`);
      if (e.type === 'checkboxes' && e.initial_options !== undefined) {
        if (!Array.isArray(e.initial_options)) c.err('must be an array', `${ptr}/initial_options`);
        else e.initial_options.forEach((io: J, i: number) => {
          if (!opts.some((o) => sameOption(o, io))) c.err('initial_options must exactly match the provided options', `${ptr}/initial_options/${i}`);
        });
      }
      break;
    }
    case 'datepicker':
      if (e.initial_date !== undefined && (typeof e.initial_date !== 'string' || !validDate(e.initial_date)))
        c.err('must be a valid date in the format YYYY-MM-DD', `${ptr}/initial_date`);
      break;
    case 'timepicker':
      if (e.initial_time !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(String(e.initial_time)))
        c.err('must be a valid time in the format HH:mm', `${ptr}/initial_time`);
      break;
    case 'plain_text_input':
      checkString(c, e.initial_value, `${ptr}/initial_value`, LIMITS.textInputLength);
      for (const k of ['min_length', 'max_length'] as const) {
        if (e[k] !== undefined && (!Number.isInteger(e[k]) || e[k] < 0 || e[k] > LIMITS.textInputLength))
          c.err(`must be an integer between 0 and ${LIMITS.textInputLength}`, `${ptr}/${k}`);
      }
      if (Number.isInteger(e.min_length) && Number.isInteger(e.max_length) && e.min_length > e.max_length)
        c.err('min_length must be less than or equal to max_length', `${ptr}/min_length`);
      if (e.multiline !== undefined && typeof e.multiline !== 'boolean') c.err('must be a boolean', `${ptr}/multiline`);
      break;
    case 'email_text_input': case 'url_text_input':
      checkString(c, e.initial_value, `${ptr}/initial_value`, LIMITS.textInputLength);
      break;
    case 'number_input': {
      if (typeof e.is_decimal_allowed !== 'boolean') c.err('missing required field: is_decimal_allowed', `${ptr}/is_decimal_allowed`);
      const numRe = e.is_decimal_allowed ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/;
      for (const k of ['initial_value', 'min_value', 'max_value']) {
        if (e[k] === undefined) continue;
        if (typeof e[k] !== 'string') c.err('must be a string', `${ptr}/${k}`);
        else if (!numRe.test(e[k])) c.err(e.is_decimal_allowed ? 'must be a number' : 'must be an integer (is_decimal_allowed is false)', `${ptr}/${k}`);
      }
      if (e.min_value !== undefined && e.max_value !== undefined && Number(e.min_value) > Number(e.max_value))
        c.err('min_value must be less than or equal to max_value', `${ptr}/min_value`);
      if (e.initial_value !== undefined && e.min_value !== undefined && Number(e.initial_value) < Number(e.min_value))
        c.err('initial_value must be greater than or equal to min_value', `${ptr}/initial_value`);
      if (e.initial_value !== undefined && e.max_value !== undefined && Number(e.initial_value) > Number(e.max_value))
        c.err('initial_value must be less than or equal to max_value', `${ptr}/initial_value`);
      break;
    }
    case 'file_input':
      if (c.surface !== 'modal') c.err('file_input is only supported in modals', `${ptr}/type`);
      if (e.max_files !== undefined && (!Number.isInteger(e.max_files) || e.max_files < 1 || e.max_files > LIMITS.maxFiles))
        c.err(`must be an integer between 1 and ${LIMITS.maxFiles}`, `${ptr}/max_files`);
      if (e.filetypes !== undefined && (!Array.isArray(e.filetypes) || e.filetypes.some((f: J) => typeof f !== 'string')))
        c.err('must be an array of strings', `${ptr}/filetypes`);
      break;
    case 'image':
      if (e.image_url === undefined && e.slack_file === undefined) c.err('must provide either image_url or slack_file', ptr);
      if (e.image_url !== undefined) checkUrl(c, e.image_url, `${ptr}/image_url`);
      checkString(c, e.alt_text, `${ptr}/alt_text`, LIMITS.altText, { required: true, min: 1 });
      break;
    case 'workflow_button':
      checkText(c, e.text, `${ptr}/text`, LIMITS.buttonText, { plainOnly: true });
      break;
    default:
      break;
  }
  if (e.max_selected_items !== undefined && (!Number.isInteger(e.max_selected_items) || e.max_selected_items < 1))
    c.err('must be a positive integer', `${ptr}/max_selected_items`);
}

function checkUniqueActionIds(c: Ctx, els: J[], ptr: string) {
  const seen = new Set<string>();
  els.forEach((e, i) => {
    if (isObj(e) && typeof e.action_id === 'string') {
      if (seen.has(e.action_id)) c.err(`duplicate action_id '${e.action_id}' in block`, `${ptr}/${i}/action_id`);
      seen.add(e.action_id);
    }
  });
}

function checkBlock(c: Ctx, b: J, ptr: string) {
  if (!isObj(b)) { c.err('must be a block object', ptr); return; }
  if (typeof b.type !== 'string' || !BLOCK_KEYS[b.type]) { c.err(`unsupported block type '${b?.type}'`, `${ptr}/type`); return; }
  checkKeys(c, b, BLOCK_KEYS[b.type], ptr);
  if (b.block_id !== undefined) checkString(c, b.block_id, `${ptr}/block_id`, LIMITS.id, { min: 1 });
  switch (b.type) {
    case 'section':
      if (b.text === undefined && b.fields === undefined) c.err('must provide either text or fields', ptr);
      if (b.text !== undefined) checkText(c, b.text, `${ptr}/text`, LIMITS.sectionText);
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields)) c.err('must be an array', `${ptr}/fields`);
        else {
          if (b.fields.length > LIMITS.sectionFields) c.err(`must provide no more than ${LIMITS.sectionFields} items`, `${ptr}/fields`);
          b.fields.forEach((f: J, i: number) => checkText(c, f, `${ptr}/fields/${i}`, LIMITS.sectionField));
        }
      }
      if (b.accessory !== undefined) checkElement(c, b.accessory, `${ptr}/accessory`, ACCESSORY_ELEMENTS, 'a section accessory');
      break;
    case 'header':
      checkText(c, b.text, `${ptr}/text`, LIMITS.headerText, { plainOnly: true });
      break;
    case 'divider':
      break;
    case 'image':
      if (b.image_url === undefined && b.slack_file === undefined) c.err('must provide either image_url or slack_file', ptr);
      if (b.image_url !== undefined) checkUrl(c, b.image_url, `${ptr}/image_url`);
      checkString(c, b.alt_text, `${ptr}/alt_text`, LIMITS.altText, { required: true, min: 1 });
      if (b.title !== undefined) checkText(c, b.title, `${ptr}/title`, 2000, { plainOnly: true });
      break;
    case 'context':
      if (!Array.isArray(b.elements) || b.elements.length === 0) { c.err('must provide at least 1 item', `${ptr}/elements`); break; }
      if (b.elements.length > LIMITS.contextElements) c.err(`must provide no more than ${LIMITS.contextElements} items`, `${ptr}/elements`);
      b.elements.forEach((e: J, i: number) => {
        if (isObj(e) && e.type === 'image') checkElement(c, e, `${ptr}/elements/${i}`, new Set(['image']), 'a context block');
        else checkText(c, e, `${ptr}/elements/${i}`, LIMITS.sectionText);
      });
      break;
    case 'actions':
      if (!Array.isArray(b.elements) || b.elements.length === 0) { c.err('must provide at least 1 item', `${ptr}/elements`); break; }
      if (b.elements.length > LIMITS.actionsElements) c.err(`must provide no more than ${LIMITS.actionsElements} items`, `${ptr}/elements`);
      b.elements.forEach((e: J, i: number) => checkElement(c, e, `${ptr}/elements/${i}`, ACTION_ELEMENTS, 'an actions block'));
      checkUniqueActionIds(c, b.elements, `${ptr}/elements`);
      break;
    case 'input':
      checkText(c, b.label, `${ptr}/label`, LIMITS.label, { plainOnly: true });
      if (b.element === undefined) c.err('missing required field: element', `${ptr}/element`);
      else checkElement(c, b.element, `${ptr}/element`, INPUT_ELEMENTS, 'an input block');
      if (b.hint !== undefined) checkText(c, b.hint, `${ptr}/hint`, LIMITS.hint, { plainOnly: true });
      if (b.optional !== undefined && typeof b.optional !== 'boolean') c.err('must be a boolean', `${ptr}/optional`);
      if (b.dispatch_action !== undefined && typeof b.dispatch_action !== 'boolean') c.err('must be a boolean', `${ptr}/dispatch_action`);
      if (isObj(b.element) && b.element.type === 'file_input' && b.dispatch_action) c.err('dispatch_action is not supported with file_input', `${ptr}/dispatch_action`);
      break;
    case 'rich_text':
      if (!Array.isArray(b.elements)) c.err('must be an array', `${ptr}/elements`);
      break;
    case 'markdown':
      if (c.surface !== 'message') c.err('markdown blocks are only supported in messages', `${ptr}/type`);
      checkString(c, b.text, `${ptr}/text`, 12000, { required: true, min: 1 });
      break;
    case 'file':
      if (c.surface !== 'message') c.err('file blocks are only supported in messages', `${ptr}/type`);
      break;
    default:
      break;
  }
}

export function validateBlocks(blocks: J, surface: Surface, basePtr: string): string[] {
  const c = new Ctx(surface);
  checkBlockList(c, blocks, surface, basePtr);
  return c.errors;
}

function checkBlockList(c: Ctx, blocks: J, surface: Surface, basePtr: string) {
  if (!Array.isArray(blocks)) { c.err('must be an array', basePtr); return; }
  const max = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  if (blocks.length > max) c.err(`no more than ${max} items allowed`, basePtr);
  blocks.forEach((b, i) => checkBlock(c, b, `${basePtr}/${i}`));
  const seen = new Set<string>();
  blocks.forEach((b, i) => {
    if (isObj(b) && typeof b.block_id === 'string') {
      if (seen.has(b.block_id)) c.err(`duplicate block_id '${b.block_id}'`, `${basePtr}/${i}/block_id`);
      seen.add(b.block_id);
    }
  });
}

/** Validates a view payload for views.open/push/update/publish and response_action update/push. */
export function validateView(view: J, expect?: 'modal' | 'home'): string[] {
  const c = new Ctx(expect ?? (view?.type === 'home' ? 'home' : 'modal'));
  const P = '/view';
  if (!isObj(view)) { c.err('must be a view object', P); return c.errors; }
  if (view.type !== 'modal' && view.type !== 'home') { c.err("must be one of: modal, home", `${P}/type`); return c.errors; }
  if (expect && view.type !== expect) c.err(`must be '${expect}' for this method`, `${P}/type`);
  c.surface = view.type;
  checkKeys(c, view, VIEW_KEYS, P);
  if (view.type === 'modal') {
    checkText(c, view.title, `${P}/title`, LIMITS.modalTitle, { plainOnly: true });
    if (view.submit !== undefined) checkText(c, view.submit, `${P}/submit`, LIMITS.modalTitle, { plainOnly: true });
    if (view.close !== undefined) checkText(c, view.close, `${P}/close`, LIMITS.modalTitle, { plainOnly: true });
    if (Array.isArray(view.blocks) && view.submit === undefined && view.blocks.some((b: J) => isObj(b) && b.type === 'input'))
      c.err('must provide a submit button when a modal contains input blocks', `${P}/submit`);
  } else {
    for (const k of ['title', 'submit', 'close', 'clear_on_close', 'notify_on_close', 'submit_disabled']) {
      if (view[k] !== undefined && k !== 'title') c.err(`'${k}' is not supported on home views`, `${P}/${k}`);
    }
  }
  checkString(c, view.private_metadata, `${P}/private_metadata`, LIMITS.privateMetadata);
  checkString(c, view.callback_id, `${P}/callback_id`, LIMITS.id);
  checkString(c, view.external_id, `${P}/external_id`, LIMITS.id);
  if (view.blocks === undefined) c.err('missing required field: blocks', `${P}/blocks`);
  else checkBlockList(c, view.blocks, view.type, `${P}/blocks`);
  const size = Buffer.byteLength(JSON.stringify(view));
  if (size > LIMITS.viewBytes) c.err(`view must be less than ${LIMITS.viewBytes} bytes (was ${size})`, P);
  return c.errors;
}

/** Validates the options an app returns to a block_suggestion (external_select). */
export function validateSuggestionResponse(body: J): string[] {
  const c = new Ctx('modal');
  if (!isObj(body)) { c.err('must be an object with options or option_groups', ''); return c.errors; }
  if (body.options !== undefined && body.option_groups !== undefined) c.err('must provide either options or option_groups, not both', '');
  else if (body.options !== undefined) checkOptions(c, body.options, '/options', LIMITS.staticOptions, true, 0);
  else if (body.option_groups !== undefined) {
    if (!Array.isArray(body.option_groups)) c.err('must be an array', '/option_groups');
    else {
      if (body.option_groups.length > LIMITS.staticOptions) c.err(`must provide no more than ${LIMITS.staticOptions} items`, '/option_groups');
      body.option_groups.forEach((g: J, i: number) => {
        if (!isObj(g)) { c.err('must be an option group', `/option_groups/${i}`); return; }
        checkText(c, g.label, `/option_groups/${i}/label`, 75, { plainOnly: true });
        checkOptions(c, g.options, `/option_groups/${i}/options`, LIMITS.staticOptions, true);
      });
    }
  } else c.err('must provide options or option_groups', '');
  return c.errors;
}

/** Walks every element in a block list: input elements, section accessories, actions elements. */
export function* elementsOf(blocks: J[]): Generator<{ block: J; element: J; blockIndex: number }> {
  for (const [i, b] of (blocks ?? []).entries()) {
    if (!isObj(b)) continue;
    if (b.type === 'input' && isObj(b.element)) yield { block: b, element: b.element, blockIndex: i };
    if (b.type === 'section' && isObj(b.accessory)) yield { block: b, element: b.accessory, blockIndex: i };
    if (b.type === 'actions' && Array.isArray(b.elements)) for (const e of b.elements) if (isObj(e)) yield { block: b, element: e, blockIndex: i };
  }
}

export function plainTextOf(t: J): string {
  return isObj(t) && typeof t.text === 'string' ? t.text : '';
}
