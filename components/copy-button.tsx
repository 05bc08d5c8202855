'use client';

import { useState } from 'react';
import { useT } from '@/lib/client/i18n';

/**
 * Copies the machine form of a value (an IBAN without spaces, an amount without a currency sign)
 * and says so where a screen reader hears it. If the browser refuses, the value stays selectable.
 */
export function CopyButton({ label, value }: { label: string; value: string }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function onCopy() {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  }

  return (
    <span className="copy">
      <button type="button" className="secondary small" onClick={onCopy} aria-label={t('copy.label', { label })}>{t('copy.button')}</button>
      <span role="status" aria-live="polite" className="copy-status">
        {state === 'copied' ? t('copy.done', { label }) : state === 'failed' ? t('copy.refused') : ''}
      </span>
    </span>
  );
}
