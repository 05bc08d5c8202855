import { Fragment, type ReactNode } from 'react';

/**
 * A catalog message with emphasis: `<strong>…</strong>` in the translated text becomes <strong>.
 * The text stays text (no HTML is parsed), so a translation cannot inject markup.
 */
export function RichText({ text }: { text: string }): ReactNode {
  const parts = text.split(/<strong>(.*?)<\/strong>/);
  return parts.map((part, i) => (i % 2 === 1 ? <strong key={i}>{part}</strong> : <Fragment key={i}>{part}</Fragment>));
}
