import { useId, type ReactNode } from 'react';
import { ApiError } from '../api/http';

/** A labelled form field whose errors (from the form or from the API) sit right under it. */
export function Field({
  label,
  hint,
  errors,
  children,
}: {
  label: string;
  hint?: ReactNode;
  errors?: Array<string | undefined>;
  children: (props: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
  }) => ReactNode;
}) {
  const id = useId();
  const shown = (errors ?? []).filter((e): e is string => !!e);
  const describedBy =
    [hint ? `${id}-hint` : '', shown.length ? `${id}-error` : ''].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div className={`field${shown.length ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      )}
      {children({
        id,
        'aria-describedby': describedBy,
        'aria-invalid': shown.length ? true : undefined,
      })}
      {shown.length > 0 && (
        <div id={`${id}-error`} className="error" role="alert">
          {shown.join('; ')}
        </div>
      )}
    </div>
  );
}

/** API errors that no field on the form claims. */
export function FormErrors({ error, fields }: { error: unknown; fields: string[] }) {
  if (!error) return null;
  const messages =
    error instanceof ApiError
      ? error.general(fields)
      : [error instanceof Error ? error.message : String(error)];
  if (!messages.length) return null;
  return (
    <div className="error banner" role="alert">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

export function apiFieldErrors(error: unknown, field: string): string[] {
  return error instanceof ApiError ? error.forField(field) : [];
}
