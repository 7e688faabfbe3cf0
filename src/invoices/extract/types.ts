/** Shared result types (re-exported by index.ts). */
export interface ExtractedLine {
  description: string;
  quantity?: number;
  unitPrice?: number;
  amount: number;
}
export type Field = 'vendor' | 'invoiceNumber' | 'invoiceDate' | 'dueDate' | 'total' | 'currency' | 'subtotal' | 'tax';
