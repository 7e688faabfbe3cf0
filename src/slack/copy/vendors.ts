import type { VendorProblem } from '../../app/review.ts';

/** What the review modal's Vendor field says when the new vendor could not be created or found. */
export function vendorProblemText(p: VendorProblem): string {
  switch (p.why) {
    case 'inactive':
      return `“${p.name}” exists but is inactive in QuickBooks. Make it active there, or choose another vendor.`;
    case 'taken':
      return `QuickBooks already has a vendor named “${p.name}” (it may be inactive there). Make it active in QuickBooks, or choose another vendor.`;
    case 'timeout':
      return 'QuickBooks took too long to create the vendor. Try again.';
    case 'refused':
      return `QuickBooks refused the new vendor: ${p.error.detail ?? p.error.message}`;
    case 'error':
      return p.message;
  }
}
