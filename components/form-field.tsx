import type { InputHTMLAttributes } from 'react';

export function FormField({ label, hint, error, ...input }: { label: string; hint?: string; error?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = error ? `${input.name}-error` : hint ? `${input.name}-hint` : undefined;
  return (
    <label>
      {label}
      {hint && <span className="hint" id={`${input.name}-hint`}>{hint}</span>}
      <input {...input} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
      {error && <span className="field-error" id={`${input.name}-error`}>{error}</span>}
    </label>
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
