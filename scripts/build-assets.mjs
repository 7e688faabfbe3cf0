// Part of `npm run build`: what tsc does not emit but the compiled app needs at run time, copied beside it in
// dist/ — the SQL migrations and the plain-JS entry files (e.g. the extraction pool's worker, *.mjs).
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
for (const dialect of ['sqlite', 'postgres']) {
  cpSync(join(root, `src/store/${dialect}/migrations`), join(root, `dist/src/store/${dialect}/migrations`), {
    recursive: true,
  });
}
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.mjs') ? [join(dir, e.name)] : [],
  );
for (const file of walk(join(root, 'src'))) cpSync(file, join(root, 'dist', relative(root, file)));
