// The engine on a temp database against the QBO emulator lives in emulators/engine-stack.ts (bench:sync uses it too).
export * from '../../emulators/engine-stack.ts';
