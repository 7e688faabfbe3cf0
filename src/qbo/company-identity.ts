/** The workspace's own company as QBO's CompanyInfo describes it: the reader must never take it for the vendor. */
export interface CompanyIdentity {
  companyName: string;
  legalName: string | null;
  /** Each distinct address once, on one line ("Line1, Line2, City, ST 80216, US"). */
  addresses: string[];
}

type Addr = Record<string, unknown> | undefined | null;

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** One PhysicalAddress on one line; empty when it has nothing to say. */
export function addressLine(a: Addr): string {
  if (!a || typeof a !== 'object') return '';
  const lines = ['Line1', 'Line2', 'Line3', 'Line4', 'Line5'].map((k) => str(a[k])).filter(Boolean);
  const region = [str(a.CountrySubDivisionCode), str(a.PostalCode)].filter(Boolean).join(' ');
  return [...lines, str(a.City), region, str(a.Country) || str(a.CountryCode)].filter(Boolean).join(', ');
}

/** CompanyInfo → identity (company and legal name, company / legal / customer-facing / ship / other addresses). */
export function companyIdentityOf(info: Record<string, unknown>): CompanyIdentity {
  const companyName = str(info.CompanyName);
  const legal = str(info.LegalName);
  const others = Array.isArray(info.OtherAddr) ? (info.OtherAddr as Addr[]) : [];
  const all = [info.CompanyAddr, info.LegalAddr, info.CustomerCommunicationAddr, info.ShipAddr, ...others].map((a) => addressLine(a as Addr));
  const seen = new Set<string>();
  const addresses = all.filter((line) => {
    const key = line.toLowerCase();
    if (!line || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { companyName, legalName: legal || null, addresses };
}
