/**
 * A seeded PRNG (the emulator's mulberry32) so the degraded fixtures are the same on every run: each output file gets its own
 * stream, seeded from the run's seed and the file's name, so adding a file to the plan does not change the others.
 */
import { createHash } from 'node:crypto';
import { seeded } from '../../emulators/qbo/limits.ts';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** -1 or +1. */
  sign(): number;
  /** Roughly normal (mean 0, sd 1): sum of four uniforms, centred and scaled. */
  gauss(): number;
}

export function rngFor(seed: number, name: string): Rng {
  const h = createHash('sha256').update(`${seed}:${name}`).digest();
  const next = seeded(h.readUInt32LE(0));
  return {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    sign: () => (next() < 0.5 ? -1 : 1),
    gauss: () => (next() + next() + next() + next() - 2) * 1.732,
  };
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
