// Block Kit validation, as strict as Slack's server is (see /work/shared/docs/slack.md "Block Kit limits").
// Every problem is reported Slack-style: `[ERROR] <what> [json-pointer:/path]`. A non-empty list means the
// fake answers the call with ok:false (`invalid_arguments` for views, `invalid_blocks` for messages).
import {
  INPUT_ELEMENTS,
  ACTION_ELEMENTS,
  ACCESSORY_ELEMENTS,
  ELEMENT_KEYS,
  BLOCK_KEYS,
  VIEW_KEYS,
  LIMITS,
  type J,
  type Surface,
} from './blockkit-spec.ts';
import {
  Ctx,
  isObj,
  checkKeys,
  checkString,
  checkText,
  checkUrl,
  checkConfirm,
  checkOption,
  sameOption,
  checkOptions,
  checkOptionSource,
  validDate,
} from './blockkit-parts.ts';

export { LIMITS } from './blockkit-spec.ts';
export type { Surface } from './blockkit-spec.ts';

function checkElement(c: Ctx, e: J, ptr: string, allowed: Set<string>, where: string) {
  if (!isObj(e)) {
    c.err('must be an element object', ptr);
    return;
  }
  if (typeof e.type !== 'string' || !ELEMENT_KEYS[e.type]) {
    c.err(`unsupported element type '${e?.type}'`, `${ptr}/type`);
    return;
  }
  if (!allowed.has(e.type)) {
    c.err(`element type '${e.type}' is not allowed in ${where}`, `${ptr}/type`);
    return;
  }
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
        else
          e.initial_options.forEach((io: J, i: number) => {
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
    case 'checkboxes':
    case 'radio_buttons': {
      const opts = checkOptions(c, e.options, `${ptr}/options`, LIMITS.radioOrCheckboxOptions, false);
      if (e.type === 'radio_buttons' && e.initial_option !== undefined && !opts.some((o) => sameOption(o, e.initial_option)))
        c.err('initial_option must exactly match one of the provided options', `${ptr}/initial_option`);
      if (e.type === 'checkboxes' && e.initial_options !== undefined) {
        if (!Array.isArray(e.initial_options)) c.err('must be an array', `${ptr}/initial_options`);
        else
          e.initial_options.forEach((io: J, i: number) => {
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
    case 'email_text_input':
    case 'url_text_input':
      checkString(c, e.initial_value, `${ptr}/initial_value`, LIMITS.textInputLength);
      break;
    case 'number_input': {
      if (typeof e.is_decimal_allowed !== 'boolean') c.err('missing required field: is_decimal_allowed', `${ptr}/is_decimal_allowed`);
      const numRe = e.is_decimal_allowed ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/;
      for (const k of ['initial_value', 'min_value', 'max_value']) {
        if (e[k] === undefined) continue;
        if (typeof e[k] !== 'string') c.err('must be a string', `${ptr}/${k}`);
        else if (!numRe.test(e[k]))
          c.err(e.is_decimal_allowed ? 'must be a number' : 'must be an integer (is_decimal_allowed is false)', `${ptr}/${k}`);
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
  if (!isObj(b)) {
    c.err('must be a block object', ptr);
    return;
  }
  if (typeof b.type !== 'string' || !BLOCK_KEYS[b.type]) {
    c.err(`unsupported block type '${b?.type}'`, `${ptr}/type`);
    return;
  }
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
      if (!Array.isArray(b.elements) || b.elements.length === 0) {
        c.err('must provide at least 1 item', `${ptr}/elements`);
        break;
      }
      if (b.elements.length > LIMITS.contextElements) c.err(`must provide no more than ${LIMITS.contextElements} items`, `${ptr}/elements`);
      b.elements.forEach((e: J, i: number) => {
        if (isObj(e) && e.type === 'image') checkElement(c, e, `${ptr}/elements/${i}`, new Set(['image']), 'a context block');
        else checkText(c, e, `${ptr}/elements/${i}`, LIMITS.sectionText);
      });
      break;
    case 'actions':
      if (!Array.isArray(b.elements) || b.elements.length === 0) {
        c.err('must provide at least 1 item', `${ptr}/elements`);
        break;
      }
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
      if (isObj(b.element) && b.element.type === 'file_input' && b.dispatch_action)
        c.err('dispatch_action is not supported with file_input', `${ptr}/dispatch_action`);
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
  if (!Array.isArray(blocks)) {
    c.err('must be an array', basePtr);
    return;
  }
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
  if (!isObj(view)) {
    c.err('must be a view object', P);
    return c.errors;
  }
  if (view.type !== 'modal' && view.type !== 'home') {
    c.err('must be one of: modal, home', `${P}/type`);
    return c.errors;
  }
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
  if (!isObj(body)) {
    c.err('must be an object with options or option_groups', '');
    return c.errors;
  }
  if (body.options !== undefined && body.option_groups !== undefined) c.err('must provide either options or option_groups, not both', '');
  else if (body.options !== undefined) checkOptions(c, body.options, '/options', LIMITS.staticOptions, true, 0);
  else if (body.option_groups !== undefined) {
    if (!Array.isArray(body.option_groups)) c.err('must be an array', '/option_groups');
    else {
      if (body.option_groups.length > LIMITS.staticOptions) c.err(`must provide no more than ${LIMITS.staticOptions} items`, '/option_groups');
      body.option_groups.forEach((g: J, i: number) => {
        if (!isObj(g)) {
          c.err('must be an option group', `/option_groups/${i}`);
          return;
        }
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
