/**
 * Size check (part of `npm run lint`): fails naming every source file in src/, emulators/, scripts/ and test/ over
 * 400 lines and every function in src/ over 80 lines (measured with the TypeScript compiler: declarations,
 * expressions, arrows, methods, accessors, constructors; from the first line of the function to its last).
 *
 *   tsx scripts/check-size.ts [--json]     exit 0 when nothing is over, 1 otherwise
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const MAX_FILE_LINES = 400;
export const MAX_FUNCTION_LINES = 80;
const ROOTS = ['src', 'emulators', 'scripts', 'test'];
const SOURCE = /\.(ts|mts|cts|tsx|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'fixtures', '.git']);

export interface Offender {
  path: string;
  lines: number;
  /** Set for a function: its name and the line it starts on. */
  fn?: { name: string; line: number };
}

function* walk(dir: string): Generator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* walk(join(dir, e.name));
    } else if (e.isFile() && SOURCE.test(e.name)) yield join(dir, e.name);
  }
}

export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(sf);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const p = node.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))) {
    return p.name.getText(sf);
  }
  if (p && ts.isCallExpression(p)) return `${p.expression.getText(sf).slice(0, 40)}(…) callback`;
  return '<anonymous>';
}

/** Every function-like node in `text` longer than `max` lines. */
export function longFunctions(path: string, text: string, max = MAX_FUNCTION_LINES): Offender[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const out: Offender[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max) out.push({ path, lines, fn: { name: nameOf(node, sf), line: start + 1 } });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export function checkSize(root: string): Offender[] {
  const out: Offender[] = [];
  for (const dir of ROOTS) {
    for (const file of walk(join(root, dir))) {
      const path = relative(root, file);
      const text = readFileSync(file, 'utf8');
      const lines = lineCount(text);
      if (lines > MAX_FILE_LINES) out.push({ path, lines });
      if (dir === 'src' && /\.(ts|mts|cts|tsx)$/.test(file)) out.push(...longFunctions(path, text));
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || (a.fn?.line ?? 0) - (b.fn?.line ?? 0));
}

function main() {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const offenders = checkSize(root);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ maxFileLines: MAX_FILE_LINES, maxFunctionLines: MAX_FUNCTION_LINES, offenders }));
  } else {
    for (const o of offenders) {
      if (o.fn) console.error(`${o.path}:${o.fn.line} function ${o.fn.name} is ${o.lines} lines (max ${MAX_FUNCTION_LINES})`);
      else console.error(`${o.path} is ${o.lines} lines (max ${MAX_FILE_LINES})`);
    }
    if (offenders.length === 0) console.log('size check: no file over 400 lines, no function in src/ over 80');
    else console.error(`size check: ${offenders.length} over the limits`);
  }
  process.exitCode = offenders.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
