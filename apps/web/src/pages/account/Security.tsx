import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/endpoints';
import type { SessionInfo, TwoFactorEnrolment } from '../../api/types';
import { useAuth } from '../../auth';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';
import { Time } from '../../components/Time';

/** Recovery codes, shown once: after enrolment or when renewed. */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="panel" role="region" aria-label="Recovery codes">
      <h3>Your recovery codes</h3>
      <p>
        Each code signs you in once if you lose your device. Keep them somewhere safe: they are
        shown only now.
      </p>
      <ul className="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onDone}>
        I have saved them
      </button>
    </div>
  );
}

function Enrol({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const [enrolment, setEnrolment] = useState<TwoFactorEnrolment | null>(null);
  const [code, setCode] = useState('');
  const start = useMutation({ mutationFn: api.auth.twoFactor.start, onSuccess: setEnrolment });
  const confirm = useMutation({
    mutationFn: () => api.auth.twoFactor.confirm({ code: code.trim() }),
    onSuccess: (r) => onEnabled(r.recoveryCodes),
  });
  if (!enrolment)
    return (
      <>
        <FormErrors error={start.error} fields={[]} />
        <button type="button" onClick={() => start.mutate()} disabled={start.isPending}>
          Set up two-factor authentication
        </button>
      </>
    );
  return (
    <form
      className="stack"
      aria-label="Set up two-factor authentication"
      onSubmit={(e) => {
        e.preventDefault();
        confirm.mutate();
      }}
    >
      <p>
        Scan this code with an authenticator app (or type the key into it), then enter the code it
        shows.
      </p>
      <img
        src={enrolment.qrCode}
        alt="QR code for your authenticator app"
        width={200}
        height={200}
      />
      <p>
        Key: <code data-testid="totp-secret">{enrolment.secret}</code>
      </p>
      <FormErrors error={confirm.error} fields={['code']} />
      <Field label="Code from the app" errors={apiFieldErrors(confirm.error, 'code')}>
        {(p) => (
          <input
            {...p}
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" disabled={confirm.isPending}>
          Turn on
        </button>
      </div>
    </form>
  );
}

function TwoFactorSection() {
  const client = useQueryClient();
  const { refresh } = useAuth();
  const status = useQuery({ queryKey: ['two-factor'], queryFn: api.auth.twoFactor.status });
  const [codes, setCodes] = useState<string[] | null>(null);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const changed = () => {
    void client.invalidateQueries({ queryKey: ['two-factor'] });
    void client.invalidateQueries({ queryKey: ['sessions'] });
  };
  const disable = useMutation({
    mutationFn: () => api.auth.twoFactor.disable({ password, code: code.trim() }),
    onSuccess: () => {
      setPassword('');
      setCode('');
      changed();
      void refresh();
    },
  });
  const renew = useMutation({
    mutationFn: () => api.auth.twoFactor.recoveryCodes({ code: code.trim() }),
    onSuccess: (r) => {
      setCode('');
      setCodes(r.recoveryCodes);
      changed();
    },
  });
  const s = status.data;
  return (
    <section className="panel" aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading">Two-factor authentication</h2>
      {s?.required && !s.enabled && (
        <p className="notice warning" role="alert">
          Two-factor authentication is required for your account: set it up to use the helpdesk.
        </p>
      )}
      {codes && <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />}
      {s && !s.enabled && (
        <Enrol
          onEnabled={(c) => {
            setCodes(c);
            changed();
            void refresh();
          }}
        />
      )}
      {s?.enabled && (
        <>
          <p className="notice" role="status">
            On (authenticator app) since <Time at={s.since} />. {s.recoveryCodesLeft} recovery codes
            left.
          </p>
          <form
            className="stack"
            aria-label="Manage two-factor authentication"
            onSubmit={(e) => e.preventDefault()}
          >
            <FormErrors error={disable.error ?? renew.error} fields={['code', 'password']} />
            <Field
              label="Current code (or a recovery code)"
              errors={apiFieldErrors(disable.error ?? renew.error, 'code')}
            >
              {(p) => (
                <input
                  {...p}
                  autoComplete="one-time-code"
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                />
              )}
            </Field>
            <div className="actions">
              <button
                type="button"
                className="secondary"
                onClick={() => renew.mutate()}
                disabled={renew.isPending}
              >
                New recovery codes
              </button>
            </div>
            {!s.required && (
              <>
                <Field
                  label="Password (to turn it off)"
                  errors={apiFieldErrors(disable.error, 'password')}
                >
                  {(p) => (
                    <input
                      {...p}
                      type="password"
                      autoComplete="current-password"
                      value={password}
                      onChange={(e) => setPassword(e.target.value)}
                    />
                  )}
                </Field>
                <div className="actions">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => disable.mutate()}
                    disabled={disable.isPending}
                  >
                    Turn off two-factor authentication
                  </button>
                </div>
              </>
            )}
          </form>
        </>
      )}
    </section>
  );
}

function SessionsSection() {
  const client = useQueryClient();
  const sessions = useQuery({ queryKey: ['sessions'], queryFn: api.auth.sessions.list });
  const done = () => void client.invalidateQueries({ queryKey: ['sessions'] });
  const end = useMutation({
    mutationFn: (s: SessionInfo) => api.auth.sessions.end(s.id),
    onSuccess: done,
  });
  const endOthers = useMutation({ mutationFn: api.auth.sessions.endOthers, onSuccess: done });
  return (
    <section className="panel" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Where you are signed in</h2>
      <FormErrors error={sessions.error ?? end.error ?? endOthers.error} fields={[]} />
      <table className="tickets">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Address</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last seen</th>
            <th scope="col">Ends</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(sessions.data ?? []).map((s) => (
            <tr key={s.id}>
              <td>
                {s.userAgent ?? 'unknown'}
                {s.current && <strong> (this session)</strong>}
              </td>
              <td>{s.clientAddress ?? '—'}</td>
              <td>
                <Time at={s.createdAt} />
              </td>
              <td>
                <Time at={s.lastSeenAt} />
              </td>
              <td>
                <Time at={s.endsAt} />
              </td>
              <td>
                {!s.current && (
                  <button type="button" className="link" onClick={() => end.mutate(s)}>
                    End
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {(sessions.data ?? []).length > 1 && (
        <button type="button" className="secondary" onClick={() => endOthers.mutate()}>
          End all other sessions
        </button>
      )}
    </section>
  );
}

function PasswordSection() {
  const { user, refresh } = useAuth();
  const client = useQueryClient();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const change = useMutation({
    mutationFn: () => api.auth.changePassword({ currentPassword, newPassword }),
    onSuccess: () => {
      setCurrent('');
      setNew('');
      void client.invalidateQueries({ queryKey: ['sessions'] });
      void refresh();
    },
  });
  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      {user?.passwordChangeRequired && (
        <p className="notice warning" role="alert">
          Your password was set by an admin: choose your own to go on.
        </p>
      )}
      {change.isSuccess && (
        <p className="notice" role="status">
          Password changed. Your other sessions have ended.
        </p>
      )}
      <form
        className="stack"
        aria-label="Change password"
        onSubmit={(e) => {
          e.preventDefault();
          change.mutate();
        }}
      >
        <FormErrors error={change.error} fields={['currentPassword', 'newPassword']} />
        <Field label="Current password" errors={apiFieldErrors(change.error, 'currentPassword')}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              value={currentPassword}
              onChange={(e) => setCurrent(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="New password"
          hint="At least 12 characters; a phrase of a few words works well. Very common passwords are refused."
          errors={apiFieldErrors(change.error, 'newPassword')}
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={newPassword}
              onChange={(e) => setNew(e.target.value)}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" disabled={change.isPending}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}

/** Each user's own security: 2FA, sessions, password. */
export function SecurityPage() {
  const { user } = useAuth();
  return (
    <section>
      <h1 tabIndex={-1}>Security</h1>
      {user?.passwordChangeRequired ? (
        <PasswordSection />
      ) : (
        <>
          <TwoFactorSection />
          {!(user?.twoFactorRequired && !user.twoFactorEnabled) && (
            <>
              <SessionsSection />
              <PasswordSection />
            </>
          )}
        </>
      )}
    </section>
  );
}
