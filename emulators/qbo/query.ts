// The QBO query language: SELECT * | count(*) | fields FROM Entity [WHERE p op v [AND …]] [ORDERBY p [ASC|DESC][, …]]
// [STARTPOSITION n] [MAXRESULTS n]. Keywords case-insensitive; operators = < > <= >= IN LIKE; no OR.
import { Faults } from './faults.ts';
import { resolvePath, hasType } from './schema.ts';
import { canonicalEntity, NAME_LISTS, type Company, type Entity, publicView } from './store.ts';

type Tok =
  | { k: 'word'; v: string; pos: number }
  | { k: 'str'; v: string; pos: number }
  | { k: 'num'; v: number; raw: string; pos: number }
  | { k: 'op'; v: string; pos: number }
  | { k: 'punct'; v: string; pos: number };

type Literal = string | number | boolean;
interface Condition {
  path: string[];
  op: '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';
  value: Literal | Literal[];
}
export interface ParsedQuery {
  entity: string;
  count: boolean;
  fields: string[] | null; // null = *
  where: Condition[];
  orderBy: Array<{ path: string[]; desc: boolean }>;
  startPosition: number;
  maxResults: number;
}

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

function encountered(t: Tok | undefined, expecting: string): never {
  if (!t) throw Faults.queryParser(`Encountered "<EOF>" at line 1. Was expecting: ${expecting}`);
  const shown = t.k === 'str' ? `'${t.v}'` : String(t.k === 'num' ? t.raw : t.v);
  throw Faults.queryParser(`Encountered " ${shown} " at line 1, column ${t.pos + 1}. Was expecting: ${expecting}`);
}

export function tokenize(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= q.length) throw Faults.queryParser(`Lexical error at line 1, column ${pos + 1}: unterminated string literal`);
        const ch = q[i];
        if (ch === '\\' && i + 1 < q.length) {
          s += q[i + 1];
          i += 2;
          continue;
        }
        if (ch === "'") {
          i++;
          break;
        }
        s += ch;
        i++;
      }
      out.push({ k: 'str', v: s, pos });
      continue;
    }
    if (/[0-9-]/.test(c) && (c !== '-' || /[0-9]/.test(q[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(q.slice(i))!;
      out.push({ k: 'num', v: Number(m[0]), raw: m[0], pos });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i))!;
      out.push({ k: 'word', v: m[0], pos });
      i += m[0].length;
      continue;
    }
    const two = q.slice(i, i + 2);
    if (two === '<=' || two === '>=' || two === '!=' || two === '<>') {
      if (two === '!=' || two === '<>') throw Faults.queryParser(`Encountered " "${two}" " at line 1, column ${pos + 1}.`);
      out.push({ k: 'op', v: two, pos });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      out.push({ k: 'op', v: c, pos });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '*') {
      out.push({ k: 'punct', v: c, pos });
      i++;
      continue;
    }
    throw Faults.queryParser(`Lexical error at line 1, column ${pos + 1}. Encountered: "${c}"`);
  }
  return out;
}

function isKw(t: Tok | undefined, kw: string): boolean {
  return !!t && t.k === 'word' && t.v.toUpperCase() === kw;
}

export function parseQuery(q: string): ParsedQuery {
  const toks = tokenize(q);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];
  const expectKw = (kw: string) => {
    const t = next();
    if (!isKw(t, kw)) encountered(t, `"${kw}"`);
  };
  const expectPunct = (v: string) => {
    const t = next();
    if (t?.k !== 'punct' || t.v !== v) encountered(t, `"${v}"`);
  };

  expectKw('SELECT');
  let count = false;
  let fields: string[] | null = null;
  const t0 = peek();
  if (t0?.k === 'punct' && t0.v === '*') {
    next();
  } else if (isKw(t0, 'COUNT')) {
    next();
    expectPunct('(');
    expectPunct('*');
    expectPunct(')');
    count = true;
  } else {
    fields = [];
    for (;;) {
      const f = next();
      if (f?.k !== 'word' || isKw(f, 'FROM')) encountered(f, '<IDENTIFIER>');
      fields.push(f.v);
      if (peek()?.k === 'punct' && peek()!.v === ',') {
        next();
        continue;
      }
      break;
    }
  }
  expectKw('FROM');
  const et = next();
  if (et?.k !== 'word') encountered(et, '<IDENTIFIER>');
  const entity = canonicalEntity(et.v);
  if (!entity) throw Faults.queryValidation(`Entity ${et.v} is not supported.`);

  const resolve = (prop: string): string[] => {
    if (!hasType(entity)) return prop.split('.');
    const r = resolvePath(entity, prop);
    if (!r) throw Faults.queryValidation(`property '${prop}' is not queryable`);
    return r.path;
  };

  const literal = (): Literal => {
    const t = next();
    if (!t) encountered(t, '<STRING> | <NUMBER> | true | false');
    if (t.k === 'str') return t.v;
    if (t.k === 'num') return t.v;
    if (isKw(t, 'TRUE')) return true;
    if (isKw(t, 'FALSE')) return false;
    encountered(t, '<STRING> | <NUMBER> | true | false');
  };

  const where: Condition[] = [];
  if (isKw(peek(), 'WHERE')) {
    next();
    for (;;) {
      const prop = next();
      if (prop?.k !== 'word') encountered(prop, '<IDENTIFIER>');
      const opTok = next();
      let op: Condition['op'];
      if (opTok?.k === 'op') op = opTok.v as Condition['op'];
      else if (isKw(opTok, 'IN')) op = 'IN';
      else if (isKw(opTok, 'LIKE')) op = 'LIKE';
      else encountered(opTok, '"=" | "<" | ">" | "<=" | ">=" | "IN" | "LIKE"');
      let value: Literal | Literal[];
      if (op === 'IN') {
        expectPunct('(');
        const vals: Literal[] = [literal()];
        while (peek()?.k === 'punct' && peek()!.v === ',') {
          next();
          vals.push(literal());
        }
        expectPunct(')');
        value = vals;
      } else {
        value = literal();
        if (op === 'LIKE' && typeof value !== 'string') encountered(toks[p - 1], '<STRING>');
      }
      where.push({ path: resolve(prop.v), op, value });
      if (isKw(peek(), 'AND')) {
        next();
        continue;
      }
      break;
    }
  }

  const orderBy: ParsedQuery['orderBy'] = [];
  if (isKw(peek(), 'ORDERBY')) {
    next();
    for (;;) {
      const prop = next();
      if (prop?.k !== 'word') encountered(prop, '<IDENTIFIER>');
      let desc = false;
      if (isKw(peek(), 'DESC')) {
        next();
        desc = true;
      } else if (isKw(peek(), 'ASC')) next();
      orderBy.push({ path: resolve(prop.v), desc });
      if (peek()?.k === 'punct' && peek()!.v === ',') {
        next();
        continue;
      }
      break;
    }
  }

  let startPosition = 1;
  let maxResults = DEFAULT_PAGE;
  const posInt = (kw: string): number => {
    const t = next();
    if (t?.k !== 'num' || !Number.isInteger(t.v)) encountered(t, '<INTEGER>');
    if (t.v < 1) throw Faults.queryValidation(`${kw} must be greater than 0`);
    return t.v;
  };
  if (isKw(peek(), 'STARTPOSITION')) {
    next();
    startPosition = posInt('STARTPOSITION');
  }
  if (isKw(peek(), 'MAXRESULTS')) {
    next();
    maxResults = Math.min(posInt('MAXRESULTS'), MAX_PAGE);
  }
  if (p < toks.length) encountered(toks[p], '<EOF>');
  return { entity, count, fields, where, orderBy, startPosition, maxResults };
}

/** Values at a property path; arrays along the way (e.g. AttachableRef[].EntityRef) fan out. */
function getValues(obj: unknown, path: string[]): unknown[] {
  let vals: unknown[] = [obj];
  for (const part of path) {
    const next: unknown[] = [];
    for (const v of vals) {
      if (v === null || typeof v !== 'object') continue;
      const child = (v as Record<string, unknown>)[part];
      if (Array.isArray(child)) next.push(...child);
      else if (child !== undefined) next.push(child);
    }
    vals = next;
  }
  // A reference compares by its id
  return vals.map((v) => (v && typeof v === 'object' && !Array.isArray(v) && 'value' in (v as object) ? (v as { value: unknown }).value : v));
}

function getPath(obj: Entity, path: string[]): unknown {
  return getValues(obj, path)[0];
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T/;
const NUMERIC = /^-?\d+(\.\d+)?$/;
function compare(a: unknown, b: Literal): number | null {
  if (a === undefined || a === null) return null;
  if (typeof b === 'boolean') {
    const av = typeof a === 'boolean' ? a : String(a).toLowerCase() === 'true';
    return av === b ? 0 : av ? 1 : -1;
  }
  if (typeof b === 'number' || (typeof a === 'number' && !Number.isNaN(Number(b)))) {
    const an = Number(a);
    const bn = Number(b);
    if (Number.isNaN(an)) return null;
    return an === bn ? 0 : an < bn ? -1 : 1;
  }
  const as = String(a);
  if (NUMERIC.test(as) && NUMERIC.test(b)) {
    const d = Number(as) - Number(b);
    return d === 0 ? 0 : d < 0 ? -1 : 1;
  }
  if (DATE_TIME.test(as) && DATE_TIME.test(b)) {
    const d = Date.parse(as) - Date.parse(b);
    return d === 0 ? 0 : d < 0 ? -1 : 1;
  }
  // QBO string comparison is case-insensitive
  const x = as.toLowerCase();
  const y = b.toLowerCase();
  return x === y ? 0 : x < y ? -1 : 1;
}

function likeToRegex(pattern: string): RegExp {
  const body = pattern
    .split('%')
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}

function matchesValue(v: unknown, c: Condition): boolean {
  switch (c.op) {
    case 'IN':
      return (c.value as Literal[]).some((x) => compare(v, x) === 0);
    case 'LIKE':
      return v !== undefined && v !== null && likeToRegex(c.value as string).test(String(v));
    default: {
      const r = compare(v, c.value as Literal);
      if (r === null) return false;
      return c.op === '=' ? r === 0 : c.op === '<' ? r < 0 : c.op === '>' ? r > 0 : c.op === '<=' ? r <= 0 : r >= 0;
    }
  }
}

function matches(obj: Entity, c: Condition): boolean {
  return getValues(obj, c.path).some((v) => matchesValue(v, c));
}

function sortValue(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = Number(a);
  const nb = Number(b);
  if (typeof a === 'string' && typeof b === 'string' && /^\d+$/.test(a) && /^\d+$/.test(b)) return na - nb;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Runs a query against a company; returns the QueryResponse object (without `time`). */
export function runQuery(company: Company, q: string): Record<string, unknown> {
  const pq = parseQuery(q);
  let rows = company.all(pq.entity);
  const filtersActive = pq.where.some((c) => c.path[0] === 'Active');
  if (NAME_LISTS.has(pq.entity) && !filtersActive) rows = rows.filter((r) => r.Active !== false);
  rows = rows.filter((r) => pq.where.every((c) => matches(r, c)));
  if (pq.count) return { totalCount: rows.length };
  const order = pq.orderBy.length ? pq.orderBy : [{ path: ['Id'], desc: false }];
  rows = [...rows].sort((a, b) => {
    for (const o of order) {
      const r = sortValue(getPath(a, o.path), getPath(b, o.path));
      if (r !== 0) return o.desc ? -r : r;
    }
    return sortValue(a.Id, b.Id);
  });
  const page = rows.slice(pq.startPosition - 1, pq.startPosition - 1 + pq.maxResults);
  if (page.length === 0) return {};
  const out = page.map((r) => {
    const v = publicView(r);
    if (!pq.fields) return v;
    const picked: Entity = {};
    for (const f of pq.fields) {
      const key = Object.keys(v).find((k) => k.toLowerCase() === f.toLowerCase());
      if (key) picked[key] = v[key];
    }
    return picked;
  });
  return { [pq.entity]: out, startPosition: pq.startPosition, maxResults: out.length };
}
