import { describe, expect, it } from 'vitest';
import { addressLine, companyIdentityOf } from '../../src/qbo/company-identity.ts';

describe('companyIdentityOf (CompanyInfo → the company the reader must never take for the vendor)', () => {
  it('keeps both names and every distinct address once, in one line each', () => {
    const id = companyIdentityOf({
      CompanyName: 'Keystone Builders',
      LegalName: 'Keystone Builders Holdings, LLC',
      CompanyAddr: { Id: '1', Line1: '4200 Industrial Pkwy', City: 'Denver', CountrySubDivisionCode: 'CO', PostalCode: '80216', Country: 'US' },
      LegalAddr: { Line1: 'PO Box 18', Line2: 'Suite 4', City: 'Boulder', CountrySubDivisionCode: 'CO', PostalCode: '80301' },
      CustomerCommunicationAddr: { Line1: '4200 INDUSTRIAL PKWY', City: 'Denver', CountrySubDivisionCode: 'CO', PostalCode: '80216', Country: 'US' },
      OtherAddr: [{ Line1: '9 Yard Rd', City: 'Golden' }, {}],
    });
    expect(id).toEqual({
      companyName: 'Keystone Builders',
      legalName: 'Keystone Builders Holdings, LLC',
      addresses: ['4200 Industrial Pkwy, Denver, CO 80216, US', 'PO Box 18, Suite 4, Boulder, CO 80301', '9 Yard Rd, Golden'],
    });
  });

  it('a company without a legal name or addresses', () => {
    expect(companyIdentityOf({ CompanyName: ' Solo ' })).toEqual({ companyName: 'Solo', legalName: null, addresses: [] });
    expect(addressLine(null)).toBe('');
  });
});
