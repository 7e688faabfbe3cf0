// Structural check of request bodies against Intuit's own entity schema (qbo-entities.json, derived from the
// Java SDK XSD): unknown properties → 2010 (QBO's Jackson "Unrecognized field"), wrong JSON types and enum
// values → 2010, more than one member of an xs:choice (e.g. two Line details) → 2010.
import { readFileSync } from 'node:fs';
import { Faults } from './faults.ts';

type FieldSpec = [type: string, min: number, max: number | 'unbounded'];
interface TypeSpec {
  extends?: string[];
  fields?: Record<string, FieldSpec>;
  attrs?: Record<string, [string, number]>;
  value?: string;
  choices?: Array<{ min: number; max: number; of: Array<string | string[]>; required?: boolean }>;
  any?: boolean;
}
interface SchemaFile {
  types: Record<string, TypeSpec>;
  enums: Record<string, string[]>;
  simpleTypes: Record<string, string>;
}

export const schema: SchemaFile = JSON.parse(readFileSync(new URL('./qbo-entities.json', import.meta.url), 'utf8')) as SchemaFile;

/**
 * Narrower enums than the XSD, where Intuit's API reference documents fewer values than the XSD allows
 * (PaymentTypeEnum also lists Expense and Other; the Purchase reference documents only these three).
 */
const enumOverrides: Record<string, string[]> = {
  'Purchase.PaymentType': ['Cash', 'Check', 'CreditCard'],
};

/** Case-sensitive field lookup, as Jackson does it. */
export function fieldSpec(typeName: string, field: string): FieldSpec | undefined {
  return schema.types[typeName]?.fields?.[field];
}

/** Case-insensitive resolution of a dotted property path (for the query language). Returns the canonical path. */
export function resolvePath(typeName: string, path: string): { path: string[]; type: string } | undefined {
  let type = typeName;
  const out: string[] = [];
  for (const part of path.split('.')) {
    const spec = schema.types[type];
    if (!spec) return undefined;
    const lower = part.toLowerCase();
    const fieldName = Object.keys(spec.fields ?? {}).find((f) => f.toLowerCase() === lower);
    if (fieldName) {
      out.push(fieldName);
      type = spec.fields![fieldName][0];
      continue;
    }
    const attr = Object.keys(spec.attrs ?? {}).find((f) => f.toLowerCase() === lower);
    if (attr) {
      out.push(attr);
      type = spec.attrs![attr][0];
      continue;
    }
    if (spec.value && lower === 'value') {
      out.push('value');
      type = spec.value;
      continue;
    }
    return undefined;
  }
  return { path: out, type };
}

function className(typeName: string): string {
  return `com.intuit.schema.finance.v3.${typeName}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function isRealDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d && y >= 1900;
}

function typeError(path: string, expected: string, value: unknown): never {
  throw Faults.unsupportedProperty(`Can not construct instance of ${expected} from value ${JSON.stringify(value)} at ${path}`, path);
}

function checkBuiltin(type: string, value: unknown, path: string): void {
  switch (type) {
    case 'xs:string':
    case 'xs:anyURI':
    case 'id':
      // Jackson coerces numbers to strings; objects/arrays/booleans it refuses.
      if (typeof value !== 'string' && typeof value !== 'number') typeError(path, 'java.lang.String', value);
      return;
    case 'xs:decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) typeError(path, 'java.math.BigDecimal', value);
      return;
    case 'xs:int':
    case 'xs:long':
    case 'xs:positiveInteger':
      if (typeof value !== 'number' || !Number.isInteger(value)) typeError(path, 'java.lang.Long', value);
      if (type === 'xs:positiveInteger' && (value as number) < 1) typeError(path, 'java.math.BigInteger(positive)', value);
      return;
    case 'xs:boolean':
      if (typeof value !== 'boolean') typeError(path, 'java.lang.Boolean', value);
      return;
    case 'xs:date':
      if (typeof value !== 'string' || !isRealDate(value)) typeError(path, 'java.util.Date (yyyy-MM-dd)', value);
      return;
    case 'xs:dateTime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) typeError(path, 'java.util.Date', value);
      return;
    default:
      return;
  }
}

function checkValue(typeName: string, value: unknown, path: string, owner: string): void {
  if (value === null) return; // Jackson treats null as absent
  const override = enumOverrides[owner];
  const enumValues = override ?? schema.enums[typeName];
  if (enumValues) {
    if (typeof value !== 'string' || !enumValues.includes(value)) {
      throw Faults.unsupportedProperty(
        `Can not construct instance of ${className(typeName)} from String value ${JSON.stringify(value)}: value not one of declared Enum instance names: [${enumValues.join(', ')}] at ${path}`,
        path,
      );
    }
    return;
  }
  if (schema.simpleTypes[typeName]) checkBuiltin(typeName === 'id' ? 'id' : schema.simpleTypes[typeName], value, path);
  else if (typeName.startsWith('xs:')) checkBuiltin(typeName, value, path);
  else if (schema.types[typeName]) checkObject(typeName, value, path);
}

/** Checks `value` against complex type `typeName`; throws a 2010 QboFault on the first problem. */
export function checkObject(typeName: string, value: unknown, path: string = typeName): void {
  const spec = schema.types[typeName];
  if (!spec || spec.any) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    typeError(path, className(typeName), value);
  }
  const obj = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(obj)) {
    const childPath = `${path}.${key}`;
    const f = spec.fields?.[key];
    if (f) {
      const [ftype, , max] = f;
      const many = max === 'unbounded' || max > 1;
      if (v === null) continue;
      if (many) {
        if (!Array.isArray(v)) typeError(childPath, `java.util.List<${className(ftype)}>`, v);
        (v as unknown[]).forEach((item, i) => checkValue(ftype, item, `${childPath}[${i}]`, `${typeName}.${key}`));
      } else {
        if (Array.isArray(v)) typeError(childPath, className(ftype), v);
        checkValue(ftype, v, childPath, `${typeName}.${key}`);
      }
      continue;
    }
    const a = spec.attrs?.[key];
    if (a) {
      checkValue(a[0], v, childPath, `${typeName}.${key}`);
      continue;
    }
    if (spec.value && key === 'value') {
      checkValue(spec.value, v, childPath, `${typeName}.value`);
      continue;
    }
    throw Faults.unsupportedProperty(`Unrecognized field "${key}" (class ${className(typeName)}), not marked as ignorable`, key);
  }
  for (const choice of spec.choices ?? []) {
    const present = choice.of.filter((alt) => (Array.isArray(alt) ? alt.some((n) => obj[n] != null) : obj[alt] != null));
    if (present.length > choice.max) {
      throw Faults.unsupportedProperty(
        `Only one of ${choice.of.flat().join(', ')} may be present in ${path} (found ${present.flat().join(', ')})`,
        path,
      );
    }
  }
}

/** Entities (top-level types) the schema describes. */
export function hasType(typeName: string): boolean {
  return !!schema.types[typeName];
}
