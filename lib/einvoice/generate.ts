import { generateCii } from './generate-cii';
import { generateUbl } from './generate-ubl';
import type { EInvoice, Syntax } from './model';

export const XRECHNUNG_3_0 = 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0';
export const PEPPOL_BILLING_PROCESS = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/** Writes EN 16931 XML in the requested syntax; the model's BT-24 names the profile. */
export function generateEInvoice(inv: EInvoice, syntax: Syntax): string {
  return syntax === 'CII' ? generateCii(inv) : generateUbl(inv);
}
