'use client';

import { FormField } from '@/components/form-field';
import { useT } from '@/lib/client/i18n';

/** The terms an XRechnung needs beyond the header (addresses, contact, buyer reference), shown once lines exist. */
export function XRechnungDetails({ disabled }: { disabled: boolean }) {
  const t = useT();
  return (
    <fieldset className="grid" disabled={disabled} data-testid="xrechnung-details">
      <legend>{t('xr.legend')}</legend>
      <FormField label={t('xr.seller_street')} name="xSellerStreet" autoComplete="street-address" />
      <FormField label={t('xr.seller_postcode')} name="xSellerPostcode" autoComplete="postal-code" />
      <FormField label={t('xr.seller_city')} name="xSellerCity" autoComplete="address-level2" />
      <FormField label={t('xr.seller_country')} name="xSellerCountry" defaultValue="DE" maxLength={2} hint={t('xr.country_hint')} />
      <FormField label={t('xr.seller_contact')} name="xSellerContact" />
      <FormField label={t('xr.seller_phone')} name="xSellerPhone" type="tel" />
      <FormField label={t('xr.seller_email')} name="xSellerEmail" type="email" />
      <FormField label={t('xr.buyer_street')} name="xBuyerStreet" />
      <FormField label={t('xr.buyer_postcode')} name="xBuyerPostcode" />
      <FormField label={t('xr.buyer_city')} name="xBuyerCity" />
      <FormField label={t('xr.buyer_country')} name="xBuyerCountry" defaultValue="DE" maxLength={2} />
      <FormField label={t('xr.buyer_reference')} name="xBuyerReference" hint={t('xr.buyer_reference_hint')} />
      <FormField label={t('xr.payment_terms')} name="xPaymentTerms" defaultValue={t('xr.payment_terms_default')} />
      <label>
        {t('xr.syntax')}
        <select name="xSyntax" defaultValue="CII">
          <option value="CII">{t('xr.syntax_cii')}</option>
          <option value="UBL">{t('xr.syntax_ubl')}</option>
        </select>
      </label>
    </fieldset>
  );
}
