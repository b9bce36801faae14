import type { UseFormRegisterReturn } from 'react-hook-form';
import type { Severity } from '../api/types';
import { SEVERITY_MEANINGS } from '../severity';

/** The severity radio buttons with the contract's meaning of each, word for word (sla-rules.md §1). */
export function SeverityChoice({
  registration,
  errors,
}: {
  registration: UseFormRegisterReturn;
  errors: (string | undefined)[];
}) {
  const shown = errors.filter(Boolean);
  return (
    <fieldset
      className={`severity-choice${shown.length ? ' invalid' : ''}`}
      aria-describedby="severity-help"
    >
      <legend>Severity</legend>
      <p id="severity-help" className="hint">
        Choose the level that fits, as our support contract defines it.
      </p>
      {([1, 2, 3] as Severity[]).map((s) => {
        const m = SEVERITY_MEANINGS[s];
        return (
          <label key={s} className="severity-option">
            <input type="radio" value={String(s)} {...registration} />
            <span>
              <strong>{m.title}</strong>
              <span className="meaning">
                {m.before}
                {m.emphasis && <strong>{m.emphasis}</strong>}
                {m.after}
              </span>
            </span>
          </label>
        );
      })}
      {shown.length > 0 && (
        <div className="error" role="alert">
          {shown.join('; ')}
        </div>
      )}
    </fieldset>
  );
}
