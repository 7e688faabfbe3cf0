import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSize } from '../scripts/check-size.ts';
import { tempDir } from './helpers.ts';

const lines = (n: number, line = 'x;') => Array.from({ length: n }, () => line).join('\n') + '\n';
const fn = (name: string, bodyLines: number) => `export function ${name}() {\n${lines(bodyLines - 2, '  call();')}}\n`;

describe('size check (npm run lint)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const put = (path: string, text: string) => {
    mkdirSync(join(tmp.dir, path, '..'), { recursive: true });
    writeFileSync(join(tmp.dir, path), text);
  };

  it('names each file over 400 lines in src/, emulators/, scripts/, test/ and each src/ function over 80 lines', () => {
    put('src/ok.ts', lines(400));
    put('src/big.ts', lines(401));
    put('emulators/qbo/big.ts', lines(450));
    put('scripts/big.mjs', lines(500));
    put('test/big.test.ts', lines(401));
    put('test/fixtures/huge.js', lines(5000)); // data, not source
    put('docs/long.ts', lines(900)); // outside the checked folders
    put('src/fns.ts', `${fn('fine', 80)}${fn('tooLong', 81)}export const arrow = () => {\n${lines(85, '  a();')}};\n`);
    put('scripts/fns.ts', fn('scriptFn', 200)); // function length is checked in src/ only
    const found = checkSize(tmp.dir).map((o) => (o.fn ? `${o.path}:${o.fn.line} ${o.fn.name} ${o.lines}` : `${o.path} ${o.lines}`));
    expect(found).toEqual([
      'emulators/qbo/big.ts 450',
      'scripts/big.mjs 500',
      'src/big.ts 401',
      'src/fns.ts:81 tooLong 81',
      'src/fns.ts:162 arrow 87',
      'test/big.test.ts 401',
    ]);
  });
});
