/** Every HKDF info, HPKE info, AEAD AAD and signature context starts with this. */
const DOMAIN_PREFIX = 'zkinvoice/v1/';

const FIELD_SEPARATOR = '|';

/**
 * Builds `zkinvoice/v1/<purpose>|<id>|<id>…`. Ids may not contain the separator, so two
 * different id lists can never produce the same label (the binding stays injective).
 */
export function domainLabel(purpose: string, ...ids: (string | number)[]): string {
  for (const id of [purpose, ...ids.map(String)]) {
    if (id.length === 0 || id.includes(FIELD_SEPARATOR)) {
      throw new Error(`domain label field must be non-empty and free of "${FIELD_SEPARATOR}": ${id}`);
    }
  }
  return [DOMAIN_PREFIX + purpose, ...ids].join(FIELD_SEPARATOR);
}

/** A label without our prefix is a programming bug, not bad data: fail loudly. */
export function assertDomainLabel(label: string): void {
  if (!label.startsWith(DOMAIN_PREFIX) || label.length === DOMAIN_PREFIX.length) {
    throw new Error(`crypto label must start with "${DOMAIN_PREFIX}": ${label}`);
  }
}
