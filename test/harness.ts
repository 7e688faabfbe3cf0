// The whole product on loopback now lives in emulators/stack.ts (the demo and the benchmarks use it too);
// tests keep importing it from here.
export * from '../emulators/stack.ts';
