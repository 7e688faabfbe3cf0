/** Column types code outside src/store may name (it never imports the schema itself). */
export type { ConnectionStatus, ProfileKind, QboListEntity, TxnType } from './sqlite/schema.ts';
