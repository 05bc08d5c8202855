import { useId, type InputHTMLAttributes } from 'react';

/**
 * A labelled input. The hint and the error sit outside the label, so the field's spoken name is its
 * label alone; both are linked to the input with aria-describedby (the error first).
 */
export function FormField({ label, hint, error, id, ...input }: { label: string; hint?: string; error?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId();
  const fieldId = id ?? `${generated}-input`;
  const hintId = `${generated}-hint`;
  const errorId = `${generated}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      {hint && <span className="hint" id={hintId}>{hint}</span>}
      <input {...input} id={fieldId} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
      {error && <span className="field-error" id={errorId}>{error}</span>}
    </div>
  );
}

export function ErrorAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return <div className="alert error" role="alert">{message}</div>;
}

export function Progress({ step }: { step: string | null }) {
  if (!step) return null;
  return <p className="status" role="status" aria-live="polite">{step}</p>;
}
