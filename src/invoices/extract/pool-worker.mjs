// Entry of an extraction worker thread (plain JS so that it loads whatever runs the app: tsx, vitest
// or node): the TypeScript task is imported through tsx's loader API, and pdf.js is warmed up before
// the worker takes its first file (so that first-document set-up is not charged to a file's budget).
// In the compiled app (dist/, `npm start`) the task is plain JavaScript beside this file.
import { existsSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import sharp from 'sharp';

// Reading is batch work; Slack's 3-second acks are not. On Linux a thread has its own nice value and the threads it
// starts (tesseract's) inherit it, so this thread steps back when the cores are busy. Elsewhere: left as it is.
const NICE = 10;
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, NICE);
} catch {
  /* not Linux, or not allowed: same priority as the app */
}

// One image-processing thread: libvips would otherwise run each step on every core, taking the main thread's.
sharp.concurrency(1);
sharp.cache(false);

const compiled = new URL('./pool-task.js', import.meta.url);
const task = existsSync(compiled) ? await import(compiled.href) : await (await import('tsx/esm/api')).tsImport('./pool-task.ts', import.meta.url);
await task.warmUp();
export default task.default;
