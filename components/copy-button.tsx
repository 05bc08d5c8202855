'use client';

import { useState } from 'react';

/**
 * Copies the machine form of a value (an IBAN without spaces, an amount without a currency sign)
 * and says so where a screen reader hears it. If the browser refuses, the value stays selectable.
 */
export function CopyButton({ label, value }: { label: string; value: string }) {
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
      <button type="button" className="secondary small" onClick={onCopy} aria-label={`Copy ${label}`}>Copy</button>
      <span role="status" aria-live="polite" className="copy-status">
        {state === 'copied' ? `${label} copied` : state === 'failed' ? 'Copying was refused; select the text and copy it by hand.' : ''}
      </span>
    </span>
  );
}
