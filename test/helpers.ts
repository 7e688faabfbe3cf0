import { randomBytes } from 'node:crypto';

/** A temporary folder removed by the returned cleanup (lives with the emulators: the demo and benchmarks use it). */
export { tempDir } from '../emulators/temp-dir.ts';

export const testKey = () => randomBytes(32).toString('base64');
