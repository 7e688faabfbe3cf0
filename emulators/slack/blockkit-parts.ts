// Block Kit validation building blocks: the error collector and the checks for text, URLs, confirms and options.
import { TEXT_TYPES, LIMITS, type J, type Surface } from './blockkit-spec.ts';

export class Ctx {
  errors: string[] = [];
  constructor(public surface: Surface) {}
  err(msg: string, ptr: string) {
    this.errors.push(`[ERROR] ${msg} [json-pointer:${ptr}]`);
  }
}

export const isObj = (v: unknown): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkKeys(c: Ctx, o: Record<string, J>, allowed: string[], ptr: string) {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) c.err(`unsupported property '${k}'`, `${ptr}/${k}`);
}

export function checkString(c: Ctx, v: J, ptr: string, max: number, { required = false, min = 0 } = {}) {
  if (v === undefined || v === null) {
    if (required) c.err('missing required field', ptr);
    return;
  }
  if (typeof v !== 'string') {
    c.err('must be a string', ptr);
    return;
  }
  if (v.length < min) c.err(`must be at least ${min} character${min === 1 ? '' : 's'}`, ptr);
  if (v.length > max) c.err(`must be less than ${max + 1} characters`, ptr);
}

/** A text composition object. `plainOnly` for labels, titles, placeholders, select options, buttons… */
export function checkText(c: Ctx, t: J, ptr: string, max: number, { plainOnly = false, required = true } = {}) {
  if (t === undefined || t === null) {
    if (required) c.err('missing required field', ptr);
    return;
  }
  if (!isObj(t)) {
    c.err('must be a text object', ptr);
    return;
  }
  if (!TEXT_TYPES.includes(t.type)) {
    c.err(`must be one of: ${TEXT_TYPES.join(', ')}`, `${ptr}/type`);
    return;
  }
  if (plainOnly && t.type !== 'plain_text') c.err('must be a plain_text object', `${ptr}/type`);
  checkKeys(c, t, t.type === 'plain_text' ? ['type', 'text', 'emoji'] : ['type', 'text', 'verbatim'], ptr);
  checkString(c, t.text, `${ptr}/text`, max, { required: true, min: 1 });
  if (t.emoji !== undefined && typeof t.emoji !== 'boolean') c.err('must be a boolean', `${ptr}/emoji`);
  if (t.verbatim !== undefined && typeof t.verbatim !== 'boolean') c.err('must be a boolean', `${ptr}/verbatim`);
}

export function checkUrl(c: Ctx, v: J, ptr: string, required = false) {
  checkString(c, v, ptr, LIMITS.url, { required, min: 1 });
  if (typeof v === 'string' && v && !/^(https?|mailto|slack):/i.test(v)) c.err('must be a valid URL', ptr);
}

export function checkConfirm(c: Ctx, v: J, ptr: string) {
  if (v === undefined) return;
  if (!isObj(v)) {
    c.err('must be an object', ptr);
    return;
  }
  checkKeys(c, v, ['title', 'text', 'confirm', 'deny', 'style'], ptr);
  checkText(c, v.title, `${ptr}/title`, 100, { plainOnly: true });
  checkText(c, v.text, `${ptr}/text`, 300);
  checkText(c, v.confirm, `${ptr}/confirm`, 30, { plainOnly: true });
  checkText(c, v.deny, `${ptr}/deny`, 30, { plainOnly: true });
}

/** Option object. In selects and overflow menus text must be plain_text; radio/checkboxes allow mrkdwn. */
export function checkOption(c: Ctx, o: J, ptr: string, plainOnly: boolean) {
  if (!isObj(o)) {
    c.err('must be an option object', ptr);
    return;
  }
  checkKeys(c, o, ['text', 'value', 'description', 'url'], ptr);
  checkText(c, o.text, `${ptr}/text`, LIMITS.optionText, { plainOnly });
  checkString(c, o.value, `${ptr}/value`, LIMITS.optionValue, { required: true, min: 1 });
  if (o.description !== undefined) checkText(c, o.description, `${ptr}/description`, LIMITS.optionText, { plainOnly });
  if (o.url !== undefined) checkUrl(c, o.url, `${ptr}/url`);
}

export function sameOption(a: J, b: J): boolean {
  return isObj(a) && isObj(b) && a.value === b.value && a.text?.text === b.text?.text && a.text?.type === b.text?.type;
}

export function checkOptions(c: Ctx, opts: J, ptr: string, max: number, plainOnly: boolean, min = 1): J[] {
  if (!Array.isArray(opts)) {
    c.err('must be an array', ptr);
    return [];
  }
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

export function checkOptionSource(c: Ctx, e: J, ptr: string): J[] {
  // static selects: exactly one of options / option_groups
  if (e.options !== undefined && e.option_groups !== undefined) {
    c.err('must provide either options or option_groups, not both', ptr);
    return [];
  }
  if (e.option_groups !== undefined) {
    if (!Array.isArray(e.option_groups)) {
      c.err('must be an array', `${ptr}/option_groups`);
      return [];
    }
    if (e.option_groups.length > LIMITS.staticOptions) c.err(`must provide no more than ${LIMITS.staticOptions} items`, `${ptr}/option_groups`);
    const all: J[] = [];
    e.option_groups.forEach((g: J, i: number) => {
      const gp = `${ptr}/option_groups/${i}`;
      if (!isObj(g)) {
        c.err('must be an option group', gp);
        return;
      }
      checkKeys(c, g, ['label', 'options'], gp);
      checkText(c, g.label, `${gp}/label`, 75, { plainOnly: true });
      all.push(...checkOptions(c, g.options, `${gp}/options`, LIMITS.staticOptions, true));
    });
    return all;
  }
  if (e.options === undefined) {
    c.err('must provide either options or option_groups', ptr);
    return [];
  }
  return checkOptions(c, e.options, `${ptr}/options`, LIMITS.staticOptions, true);
}

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export function validDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
