import type { World } from './world.ts';

export async function runHostileFiles(_world: World, _o: { which: 'all' | 'none' | string[]; fullSize: boolean; log: (s: string) => void }) {
  return { files: 0, crashes: 0, maxStallMs: null as number | null, notes: ['hostile: not run yet'] };
}
