import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The layering issue 9 asks for, read from the import lines: the core and HTTP know nothing of Slack. */

const root = join(import.meta.dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

function offenders(folder: string, bad: (spec: string) => boolean): string[] {
  return tsFiles(join(root, 'src', folder)).flatMap((f) =>
    importsOf(f)
      .filter(bad)
      .map((spec) => `${f.slice(root.length + 1)} imports ${spec}`),
  );
}

describe('layers', () => {
  it('src/app and src/http import nothing from src/slack', () => {
    const slack = (spec: string) => /(^|\/)slack\//.test(spec) && spec.startsWith('.');
    expect([...offenders('app', slack), ...offenders('http', slack)]).toEqual([]);
  });

  it('src/app takes no Bolt or Slack Web API types', () => {
    expect(offenders('app', (spec) => spec.startsWith('@slack/'))).toEqual([]);
  });
});
