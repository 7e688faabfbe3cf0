// Deterministic seed: a US construction company as QBO would hold it (accounts > 100, customers with
// sub-customer projects, cost-code items, vendors, classes, terms). Same input → same ids and values.
import type { Company, Entity } from './store.ts';
import { SEED_TIME, USD, CLASSIFICATION, BASE_ACCOUNTS, DIVISIONS, EQUIPMENT, CLIENTS, PROJECT_TYPES, STREETS, VENDORS } from './seed-data.ts';

function account(name: string, type: string, subType: string, balance = 0, active = true, acctNum?: string, parent?: Entity): Entity {
  return {
    Name: name,
    SubAccount: !!parent,
    ...(parent ? { ParentRef: { value: parent.Id } } : {}),
    FullyQualifiedName: parent ? `${parent.FullyQualifiedName}:${name}` : name,
    Active: active,
    Classification: CLASSIFICATION[type],
    AccountType: type,
    AccountSubType: subType,
    ...(acctNum ? { AcctNum: acctNum } : {}),
    CurrentBalance: balance,
    CurrentBalanceWithSubAccounts: balance,
    CurrencyRef: USD,
  };
}

/** Who a company is, as its CompanyInfo says (fields as Intuit's schema names them: PhysicalAddress for addresses). */
export interface CompanyIdentitySeed {
  legalName?: string;
  /** CompanyAddr (and LegalAddr / CustomerCommunicationAddr unless given). */
  address?: Entity;
  legalAddress?: Entity;
}

const DEFAULT_ADDRESS = {
  Id: '1',
  Line1: '4200 Industrial Pkwy',
  City: 'Denver',
  CountrySubDivisionCode: 'CO',
  PostalCode: '80216',
  Country: 'US',
};

export function seedCompany(c: Company, companyName: string, identity: CompanyIdentitySeed = {}): void {
  const t = { time: SEED_TIME };
  const ins = (entity: string, obj: Entity) => c.insert(entity, obj, t);
  const address = identity.address ?? DEFAULT_ADDRESS;

  c.insert(
    'CompanyInfo',
    {
      CompanyName: companyName,
      LegalName: identity.legalName ?? companyName,
      CompanyAddr: structuredClone(address),
      LegalAddr: structuredClone(identity.legalAddress ?? address),
      CustomerCommunicationAddr: structuredClone(address),
      PrimaryPhone: { FreeFormNumber: '(303) 555-0142' },
      CompanyEmailAddr: { Address: 'office@keystonebuilders.example' },
      WebAddr: { URI: 'https://keystonebuilders.example' },
      CompanyStartDate: '2018-03-01',
      FiscalYearStartMonth: 'January',
      Country: 'US',
      SupportedLanguages: 'en',
      DefaultTimeZone: 'America/Denver',
      NameValue: [
        { Name: 'NeoEnabled', Value: 'true' },
        { Name: 'IndustryType', Value: 'Construction Trades (Plumber, Electrician, HVAC, etc.)' },
        { Name: 'CompanyType', Value: 'LLC' },
        { Name: 'SubscriptionStatus', Value: 'PAID' },
        { Name: 'OfferingSku', Value: 'QuickBooks Online Plus' },
      ],
    },
    { id: '1', time: SEED_TIME },
  );

  // Accounts
  const acctByName = new Map<string, Entity>();
  for (const [name, type, sub, bal, active, num] of BASE_ACCOUNTS) {
    acctByName.set(name, ins('Account', account(name, type, sub, bal, active, num)));
  }
  const jobMaterials = acctByName.get('Job Materials')!;
  const subs = acctByName.get('Subcontractors')!;
  const rental = acctByName.get('Equipment Rental')!;
  const fuel = acctByName.get('Fuel')!;
  const divMaterials = new Map<string, Entity>();
  const divSubs = new Map<string, Entity>();
  DIVISIONS.forEach(([code, name]) => {
    divMaterials.set(
      code,
      ins('Account', account(`${code} ${name}`, 'Cost of Goods Sold', 'SuppliesMaterialsCogs', 0, true, undefined, jobMaterials)),
    );
  });
  DIVISIONS.forEach(([code, name]) => {
    divSubs.set(code, ins('Account', account(`${code} ${name}`, 'Cost of Goods Sold', 'OtherCostsOfServiceCos', 0, true, undefined, subs)));
  });
  for (const eq of EQUIPMENT) ins('Account', account(eq, 'Cost of Goods Sold', 'EquipmentRentalCos', 0, true, undefined, rental));
  for (const f of ['Diesel', 'Gasoline', 'Propane']) ins('Account', account(f, 'Expense', 'Auto', 0, true, undefined, fuel));

  // Terms
  for (const [name, days] of [
    ['Due on receipt', 0],
    ['Net 15', 15],
    ['Net 30', 30],
    ['Net 60', 60],
  ] as const) {
    ins('Term', { Name: name, Active: true, Type: 'STANDARD', DueDays: days, DiscountPercent: 0, DiscountDays: 0 });
  }

  // Classes
  for (const [name, active] of [
    ['Commercial', true],
    ['Residential', true],
    ['Service & Repair', true],
    ['Overhead', true],
    ['Legacy Jobs', false],
  ] as const) {
    ins('Class', { Name: name, SubClass: false, FullyQualifiedName: name, Active: active });
  }

  // Items (cost codes)
  const income = acctByName.get('Construction Income')!;
  DIVISIONS.forEach(([code, name, type]) => {
    const expense = type === 'Service' ? divSubs.get(code)! : divMaterials.get(code)!;
    ins('Item', {
      Name: `${code} ${name}`,
      FullyQualifiedName: `${code} ${name}`,
      Description: name,
      PurchaseDesc: name,
      Active: true,
      SubItem: false,
      Type: type,
      Taxable: false,
      UnitPrice: 0,
      PurchaseCost: 0,
      TrackQtyOnHand: false,
      IncomeAccountRef: { value: income.Id, name: income.Name },
      ExpenseAccountRef: { value: expense.Id, name: expense.FullyQualifiedName },
    });
  });
  ins('Item', {
    Name: 'Design Fee',
    FullyQualifiedName: 'Design Fee',
    Description: 'Design services billed to clients (sales only)',
    Active: true,
    SubItem: false,
    Type: 'Service',
    Taxable: false,
    UnitPrice: 150,
    TrackQtyOnHand: false,
    IncomeAccountRef: { value: income.Id, name: income.Name },
  });
  ins('Item', {
    Name: '99-999 Obsolete Code',
    FullyQualifiedName: '99-999 Obsolete Code',
    Active: false,
    SubItem: false,
    Type: 'Service',
    Taxable: false,
    UnitPrice: 0,
    PurchaseCost: 0,
    TrackQtyOnHand: false,
    IncomeAccountRef: { value: income.Id, name: income.Name },
    ExpenseAccountRef: { value: jobMaterials.Id, name: jobMaterials.Name },
  });

  // Vendors
  VENDORS.forEach(([name, termId = '3', active = true, v1099 = false], i) => {
    ins('Vendor', {
      DisplayName: name,
      CompanyName: name,
      PrintOnCheckName: name,
      Active: active,
      Vendor1099: v1099,
      Balance: 0,
      AcctNum: `KB-${1000 + i * 7}`,
      TermRef: { value: termId },
      CurrencyRef: USD,
      PrimaryEmailAddr: { Address: `ap@${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example` },
      BillAddr: {
        Id: String(100 + i),
        Line1: `${200 + i * 13} Supply Rd`,
        City: 'Denver',
        CountrySubDivisionCode: 'CO',
        PostalCode: `802${String(10 + i).padStart(2, '0')}`,
      },
    });
  });

  // Customers and their projects (sub-customers)
  CLIENTS.forEach(([name, person], i) => {
    const parent = ins('Customer', {
      DisplayName: name,
      FullyQualifiedName: name,
      PrintOnCheckName: name,
      ...(person ? { GivenName: person[0], FamilyName: person[1] } : { CompanyName: name }),
      Active: i !== 27, // one retired client
      Job: false,
      BillWithParent: false,
      Taxable: false,
      Balance: 0,
      BalanceWithJobs: 0,
      PreferredDeliveryMethod: 'Email',
      IsProject: false,
      CurrencyRef: USD,
      PrimaryEmailAddr: { Address: `billing@${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example` },
    });
    const count = 2 + (i % 3);
    for (let j = 0; j < count; j++) {
      const kind = PROJECT_TYPES[(i * 5 + j * 3) % PROJECT_TYPES.length];
      const street = STREETS[(i + j * 4) % STREETS.length];
      const childName = `${kind} - ${100 + i * 37 + j * 11} ${street}`;
      // A few older jobs are plain sub-customers (Job) rather than QBO Projects.
      const isProject = (i + j) % 6 !== 5;
      ins('Customer', {
        DisplayName: childName,
        FullyQualifiedName: `${name}:${childName}`,
        PrintOnCheckName: name,
        Active: !(i === 3 && j === 1),
        Job: true,
        IsProject: isProject,
        BillWithParent: true,
        ParentRef: { value: parent.Id },
        Level: 1,
        Taxable: false,
        Balance: 0,
        BalanceWithJobs: 0,
        PreferredDeliveryMethod: 'Email',
        CurrencyRef: USD,
        ...(isProject ? { JobInfo: { Status: 'InProgress' } } : {}),
      });
    }
  });
}
