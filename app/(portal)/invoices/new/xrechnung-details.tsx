'use client';

import { FormField } from '@/components/form-field';

/** The terms an XRechnung needs beyond the header (addresses, contact, buyer reference), shown once lines exist. */
export function XRechnungDetails({ disabled }: { disabled: boolean }) {
  return (
    <fieldset className="grid" disabled={disabled} data-testid="xrechnung-details">
      <legend>E-invoice (XRechnung) details</legend>
      <FormField label="Seller street" name="xSellerStreet" autoComplete="street-address" />
      <FormField label="Seller post code" name="xSellerPostcode" autoComplete="postal-code" />
      <FormField label="Seller city" name="xSellerCity" autoComplete="address-level2" />
      <FormField label="Seller country" name="xSellerCountry" defaultValue="DE" maxLength={2} hint="Two letters, e.g. DE" />
      <FormField label="Seller contact person" name="xSellerContact" />
      <FormField label="Seller phone" name="xSellerPhone" type="tel" />
      <FormField label="Seller e-mail" name="xSellerEmail" type="email" />
      <FormField label="Buyer street" name="xBuyerStreet" />
      <FormField label="Buyer post code" name="xBuyerPostcode" />
      <FormField label="Buyer city" name="xBuyerCity" />
      <FormField label="Buyer country" name="xBuyerCountry" defaultValue="DE" maxLength={2} />
      <FormField label="Buyer reference (Leitweg-ID)" name="xBuyerReference" hint="Required by XRechnung; public buyers give you their Leitweg-ID" />
      <FormField label="Payment terms" name="xPaymentTerms" defaultValue="Payable within 30 days without deduction." />
      <label>
        E-invoice syntax
        <select name="xSyntax" defaultValue="CII">
          <option value="CII">XRechnung CII (UN/CEFACT)</option>
          <option value="UBL">XRechnung UBL 2.1</option>
        </select>
      </label>
    </fieldset>
  );
}
