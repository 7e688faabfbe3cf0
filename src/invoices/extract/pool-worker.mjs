// Entry of an extraction worker thread (plain JS so that it loads whatever runs the app: tsx, vitest
// or node): the TypeScript task is imported through tsx's loader API, and pdf.js is warmed up before
// the worker takes its first file (so that first-document set-up is not charged to a file's budget).
// In the compiled app (dist/, `npm start`) the task is plain JavaScript beside this file.
import { existsSync } from 'node:fs';

const compiled = new URL('./pool-task.js', import.meta.url);
const task = existsSync(compiled)
  ? await import(compiled.href)
  : await (await import('tsx/esm/api')).tsImport('./pool-task.ts', import.meta.url);
await task.warmUp();
export default task.default;
