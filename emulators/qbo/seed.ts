// Deterministic seed: a US construction company as QBO would hold it (accounts > 100, customers with
// sub-customer projects, cost-code items, vendors, classes, terms). Same input → same ids and values.
import { Company, type Entity } from './store.ts';

const SEED_TIME = '2023-02-14T09:12:31-07:00';
const USD = { value: 'USD', name: 'United States Dollar' };

const CLASSIFICATION: Record<string, string> = {
  Bank: 'Asset',
  'Accounts Receivable': 'Asset',
  'Other Current Asset': 'Asset',
  'Fixed Asset': 'Asset',
  'Other Asset': 'Asset',
  'Accounts Payable': 'Liability',
  'Credit Card': 'Liability',
  'Other Current Liability': 'Liability',
  'Long Term Liability': 'Liability',
  Equity: 'Equity',
  Income: 'Revenue',
  'Other Income': 'Revenue',
  'Cost of Goods Sold': 'Expense',
  Expense: 'Expense',
  'Other Expense': 'Expense',
};

type AccountRow = [name: string, type: string, subType: string, balance?: number, active?: boolean, acctNum?: string];

const BASE_ACCOUNTS: AccountRow[] = [
  ['Operating Checking', 'Bank', 'Checking', 84215.37, true, '1010'],
  ['Payroll Checking', 'Bank', 'Checking', 22040.0, true, '1020'],
  ['Old Savings', 'Bank', 'Savings', 0, false, '1030'],
  ['Visa Business', 'Credit Card', 'CreditCard', 4312.88, true, '2110'],
  ['Amex Corporate', 'Credit Card', 'CreditCard', 1975.5, true, '2120'],
  ['Accounts Payable (A/P)', 'Accounts Payable', 'AccountsPayable', 38710.42, true, '2000'],
  ['Accounts Receivable (A/R)', 'Accounts Receivable', 'AccountsReceivable', 126540.0, true, '1200'],
  ['Undeposited Funds', 'Other Current Asset', 'UndepositedFunds', 0, true, '1300'],
  ['Retainage Receivable', 'Other Current Asset', 'OtherCurrentAssets', 18250.0, true, '1250'],
  ['Trucks & Equipment', 'Fixed Asset', 'MachineryAndEquipment', 212400.0, true, '1500'],
  ['Accumulated Depreciation', 'Fixed Asset', 'AccumulatedDepreciation', -64200.0, true, '1590'],
  ['Retainage Payable', 'Other Current Liability', 'OtherCurrentLiabilities', 9100.0, true, '2200'],
  ['Payroll Liabilities', 'Other Current Liability', 'PayrollTaxPayable', 7420.16, true, '2300'],
  ['Equipment Loan', 'Long Term Liability', 'NotesPayable', 98000.0, true, '2700'],
  ['Opening Balance Equity', 'Equity', 'OpeningBalanceEquity', 0, true, '3000'],
  ["Owner's Equity", 'Equity', 'OwnersEquity', 50000.0, true, '3100'],
  ['Retained Earnings', 'Equity', 'RetainedEarnings', 0, true, '3900'],
  ['Construction Income', 'Income', 'SalesOfProductIncome', 0, true, '4000'],
  ['Service & Repair Income', 'Income', 'ServiceFeeIncome', 0, true, '4100'],
  ['Change Order Income', 'Income', 'SalesOfProductIncome', 0, true, '4200'],
  ['Interest Earned', 'Other Income', 'InterestEarned', 0, true, '7000'],
  // Job costs (COGS)
  ['Job Materials', 'Cost of Goods Sold', 'SuppliesMaterialsCogs', 0, true, '5000'],
  ['Subcontractors', 'Cost of Goods Sold', 'OtherCostsOfServiceCos', 0, true, '5100'],
  ['Equipment Rental', 'Cost of Goods Sold', 'EquipmentRentalCos', 0, true, '5200'],
  ['Direct Labor', 'Cost of Goods Sold', 'CostOfLaborCos', 0, true, '5300'],
  ['Permits & Fees', 'Cost of Goods Sold', 'OtherCostsOfServiceCos', 0, true, '5400'],
  ['Dumpster & Disposal', 'Cost of Goods Sold', 'OtherCostsOfServiceCos', 0, true, '5500'],
  ['Job Supplies', 'Cost of Goods Sold', 'SuppliesMaterialsCogs', 0, true, '5600'],
  ['Freight & Delivery - Jobs', 'Cost of Goods Sold', 'ShippingFreightDeliveryCos', 0, true, '5700'],
  ['Engineering & Testing', 'Cost of Goods Sold', 'OtherCostsOfServiceCos', 0, true, '5800'],
  // Overhead (Expense)
  ['Fuel', 'Expense', 'Auto', 0, true, '6000'],
  ['Vehicle Repairs', 'Expense', 'Auto', 0, true, '6010'],
  ['Insurance', 'Expense', 'Insurance', 0, true, '6100'],
  ['Workers Comp Insurance', 'Expense', 'Insurance', 0, true, '6110'],
  ['Rent or Lease', 'Expense', 'RentOrLeaseOfBuildings', 0, true, '6200'],
  ['Utilities', 'Expense', 'Utilities', 0, true, '6300'],
  ['Telephone & Internet', 'Expense', 'Utilities', 0, true, '6310'],
  ['Office Supplies & Software', 'Expense', 'OfficeGeneralAdministrativeExpenses', 0, true, '6400'],
  ['Cloud Hosting & IT', 'Expense', 'OfficeGeneralAdministrativeExpenses', 0, true, '6410'],
  ['Advertising & Marketing', 'Expense', 'AdvertisingPromotional', 0, true, '6500'],
  ['Legal & Professional Services', 'Expense', 'LegalProfessionalFees', 0, true, '6600'],
  ['Accounting Fees', 'Expense', 'LegalProfessionalFees', 0, true, '6610'],
  ['Repairs & Maintenance', 'Expense', 'RepairMaintenance', 0, true, '6700'],
  ['Meals', 'Expense', 'EntertainmentMeals', 0, true, '6800'],
  ['Travel', 'Expense', 'Travel', 0, true, '6810'],
  ['Small Tools & Equipment', 'Expense', 'SuppliesMaterials', 0, true, '6900'],
  ['Uniforms & Safety Gear', 'Expense', 'SuppliesMaterials', 0, true, '6910'],
  ['Shop Supplies', 'Expense', 'SuppliesMaterials', 0, true, '6920'],
  ['Bank Charges & Fees', 'Expense', 'BankCharges', 0, true, '6950'],
  ['Dues & Subscriptions', 'Expense', 'DuesSubscriptions', 0, true, '6960'],
  ['Training & Education', 'Expense', 'OtherMiscellaneousServiceCost', 0, true, '6970'],
  ['Licenses & Bonds', 'Expense', 'TaxesPaid', 0, true, '6980'],
  ['Interest Paid', 'Expense', 'InterestPaid', 0, true, '6990'],
  ['Depreciation', 'Other Expense', 'Depreciation', 0, true, '8000'],
  ['Penalties & Settlements', 'Other Expense', 'PenaltiesSettlements', 0, true, '8100'],
];

/** CSI-style divisions: cost codes, and job-cost sub-accounts generated per division. */
export const DIVISIONS: Array<[code: string, name: string, type: 'Service' | 'NonInventory']> = [
  ['01-100', 'General Requirements', 'Service'],
  ['01-500', 'Temporary Facilities', 'Service'],
  ['02-200', 'Site Preparation', 'Service'],
  ['02-300', 'Earthwork', 'Service'],
  ['02-700', 'Paving & Surfacing', 'Service'],
  ['03-100', 'Concrete Forming', 'NonInventory'],
  ['03-300', 'Concrete', 'NonInventory'],
  ['04-200', 'Masonry', 'NonInventory'],
  ['05-100', 'Structural Steel', 'NonInventory'],
  ['05-500', 'Metal Fabrications', 'NonInventory'],
  ['06-100', 'Rough Carpentry', 'NonInventory'],
  ['06-200', 'Finish Carpentry', 'NonInventory'],
  ['06-400', 'Cabinets & Millwork', 'NonInventory'],
  ['07-200', 'Insulation', 'NonInventory'],
  ['07-300', 'Roofing', 'NonInventory'],
  ['07-900', 'Sealants & Caulking', 'NonInventory'],
  ['08-100', 'Doors & Frames', 'NonInventory'],
  ['08-500', 'Windows', 'NonInventory'],
  ['09-200', 'Drywall', 'NonInventory'],
  ['09-300', 'Tile', 'NonInventory'],
  ['09-600', 'Flooring', 'NonInventory'],
  ['09-900', 'Painting', 'Service'],
  ['10-000', 'Specialties', 'NonInventory'],
  ['11-000', 'Equipment', 'NonInventory'],
  ['12-000', 'Furnishings', 'NonInventory'],
  ['21-000', 'Fire Suppression', 'Service'],
  ['22-000', 'Plumbing', 'Service'],
  ['23-000', 'HVAC', 'Service'],
  ['26-000', 'Electrical', 'Service'],
  ['31-000', 'Excavation & Grading', 'Service'],
  ['32-900', 'Landscaping', 'Service'],
  ['33-000', 'Utilities', 'Service'],
];

const EQUIPMENT = ['Excavators', 'Skid Steers', 'Aerial Lifts', 'Scaffolding', 'Compaction', 'Generators', 'Forklifts & Telehandlers', 'Trench Shoring', 'Light Towers', 'Pumps'];

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

const CLIENTS: Array<[name: string, person?: [string, string]]> = [
  ['Riverside Medical Center'],
  ['Harbor View HOA'],
  ['Summit Ridge School District'],
  ['Oakmont Properties LLC'],
  ['Mark Johnson', ['Mark', 'Johnson']],
  ['Bluebird Cafe'],
  ['Cedar Creek Apartments'],
  ['Linda Alvarez', ['Linda', 'Alvarez']],
  ['Pinecrest Retail Partners'],
  ['City of Lakewood'],
  ['Granite Peak Brewing Co.'],
  ['Northgate Church'],
  ['Sarah & Tom Whitaker', ['Sarah', 'Whitaker']],
  ['Front Range Logistics'],
  ['Meadowbrook Senior Living'],
  ['Aspen Dental Group'],
  ['Silverline Hotels'],
  ['Redstone Office Park'],
  ['Kevin Park', ['Kevin', 'Park']],
  ['Willow Springs Golf Club'],
  ['Evergreen Credit Union'],
  ['Clearwater Self Storage'],
  ['Highland Veterinary Clinic'],
  ['Maria Gonzalez', ['Maria', 'Gonzalez']],
  ['Union Station Lofts'],
  ['Prairie Wind Elementary'],
  ['Copper Canyon Restaurants'],
  ['Westfield Industrial'],
  ['David Chen', ['David', 'Chen']],
  ['Lakeside Marina'],
  ['Foothills Fitness'],
  ['Stonegate Townhomes'],
];

const PROJECT_TYPES = [
  'Kitchen Remodel',
  'Parking Garage Expansion',
  'Roof Replacement',
  'Tenant Improvement',
  'New Warehouse',
  'ADA Upgrades',
  'Lobby Renovation',
  'Site Work Phase 1',
  'Foundation Repair',
  'HVAC Retrofit',
  'Office Build-Out',
  'Storm Drain Repair',
  'Parking Lot Resurface',
  'Bathroom Addition',
  'Deck & Patio',
  'Window Replacement',
  'Clubhouse Renovation',
  'Retaining Wall',
  'Fire Sprinkler Upgrade',
];
const STREETS = ['Elm St', 'Main St', 'Colfax Ave', 'Broadway', 'Federal Blvd', 'Alameda Ave', 'Wadsworth Blvd', 'Kipling St', 'Quebec St', 'Evans Ave', 'Hampden Ave'];

/** Vendors: names matching the invoices the project tests with, plus typical construction suppliers. */
const VENDORS: Array<[name: string, termId?: string, active?: boolean, vendor1099?: boolean]> = [
  ['Home Depot', '1'],
  ["Lowe's", '1'],
  ['United Rentals', '3'],
  ['Sunbelt Rentals', '3'],
  ['Amazon Web Services', '1'],
  ['Ferguson Enterprises', '3'],
  ['ABC Supply Co.', '3'],
  ['Fastenal', '3'],
  ['Grainger', '3'],
  ['Shell Fleet Solutions', '2'],
  ['Rocky Mountain Ready Mix', '3'],
  ['Apex Electrical Contractors', '3', true, true],
  ['Summit Plumbing & Mechanical', '3', true, true],
  ['Waste Management', '3'],
  ['City of Denver Permits', '1'],
  ['Verizon Wireless', '2'],
  ['State Farm Insurance', '3'],
  ['Azure Interior', '3'],
  ['QualityHosting AG', '1'],
  ['Coolblue B.V.', '1'],
  ['Lieferant GmbH', '3'],
  ['ELEKTRON Industrieservice GmbH', '3'],
  ['Global Supplies Ltd.', '3'],
  ['Au bon moulin', '3'],
  ['Cascade Lumber & Building Supply, Inc.', '3'],
  ['Ponderosa Building Materials Co.', '3'],
  ['Summit Equipment Rentals LLC', '3'],
  ['Big Sky Aerial & Lift, Inc.', '3'],
  ['Bright Line Electric Co.', '3', true, true],
  ['Delgado Concrete & Masonry LLC', '3', true, true],
  ['Tri-County Rental & Supply Corp', '1'],
  ['Mile High Lumber (closed)', '3', false],
];

/** Who a company is, as its CompanyInfo says (fields as Intuit's schema names them: PhysicalAddress for addresses). */
export interface CompanyIdentitySeed {
  legalName?: string;
  /** CompanyAddr (and LegalAddr / CustomerCommunicationAddr unless given). */
  address?: Entity;
  legalAddress?: Entity;
}

const DEFAULT_ADDRESS = { Id: '1', Line1: '4200 Industrial Pkwy', City: 'Denver', CountrySubDivisionCode: 'CO', PostalCode: '80216', Country: 'US' };

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
    divMaterials.set(code, ins('Account', account(`${code} ${name}`, 'Cost of Goods Sold', 'SuppliesMaterialsCogs', 0, true, undefined, jobMaterials)));
  });
  DIVISIONS.forEach(([code, name]) => {
    divSubs.set(code, ins('Account', account(`${code} ${name}`, 'Cost of Goods Sold', 'OtherCostsOfServiceCos', 0, true, undefined, subs)));
  });
  for (const eq of EQUIPMENT) ins('Account', account(eq, 'Cost of Goods Sold', 'EquipmentRentalCos', 0, true, undefined, rental));
  for (const f of ['Diesel', 'Gasoline', 'Propane']) ins('Account', account(f, 'Expense', 'Auto', 0, true, undefined, fuel));

  // Terms
  for (const [name, days] of [['Due on receipt', 0], ['Net 15', 15], ['Net 30', 30], ['Net 60', 60]] as const) {
    ins('Term', { Name: name, Active: true, Type: 'STANDARD', DueDays: days, DiscountPercent: 0, DiscountDays: 0 });
  }

  // Classes
  for (const [name, active] of [['Commercial', true], ['Residential', true], ['Service & Repair', true], ['Overhead', true], ['Legacy Jobs', false]] as const) {
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
      BillAddr: { Id: String(100 + i), Line1: `${200 + i * 13} Supply Rd`, City: 'Denver', CountrySubDivisionCode: 'CO', PostalCode: `802${String(10 + i).padStart(2, '0')}` },
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
