import { useForm } from 'react-hook-form';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useState } from 'react';
import { homeOf, mustSetUp, useAuth } from '../auth';
import type { User } from '../api/types';
import { Field, FormErrors, apiFieldErrors } from '../components/Field';

/** Sign in: e-mail and password, then (for a user with 2FA) the code of their authenticator app. */
export function LoginPage() {
  const { user, login, completeLogin } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const [challenge, setChallenge] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<{ email: string; password: string }>();
  const second = useForm<{ code: string }>();
  const next = (u: User) => (mustSetUp(u) ? homeOf(u) : params.get('next') || homeOf(u));
  if (user) return <Navigate to={next(user)} replace />;
  const submit = handleSubmit(async ({ email, password }) => {
    setError(null);
    try {
      const step = await login(email.trim(), password);
      if ('challenge' in step) setChallenge(step.challenge);
      else navigate(next(step.user), { replace: true });
    } catch (e) {
      setError(e);
    }
  });
  const submitCode = second.handleSubmit(async ({ code }) => {
    setError(null);
    try {
      const u = await completeLogin(challenge!, code.trim());
      navigate(next(u), { replace: true });
    } catch (e) {
      setError(e);
      if ((e as { code?: string }).code === 'challenge_expired') setChallenge(null);
    }
  });
  if (challenge)
    return (
      <main id="main" className="login">
        <h1 tabIndex={-1}>Two-factor authentication</h1>
        <form onSubmit={submitCode} noValidate aria-label="Second step of sign-in">
          <FormErrors error={error} fields={['code']} />
          <Field
            label="Authentication code"
            hint="The six digits your authenticator app shows, or one of your recovery codes."
            errors={[second.formState.errors.code?.message, ...apiFieldErrors(error, 'code')]}
          >
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                autoComplete="one-time-code"
                autoFocus
                {...second.register('code', { required: 'Enter the code' })}
              />
            )}
          </Field>
          <div className="actions">
            <button type="submit" disabled={second.formState.isSubmitting}>
              {second.formState.isSubmitting ? 'Checking…' : 'Verify'}
            </button>
            <button type="button" className="secondary" onClick={() => setChallenge(null)}>
              Back
            </button>
          </div>
        </form>
      </main>
    );
  return (
    <main id="main" className="login">
      <h1 tabIndex={-1}>Sign in to the helpdesk</h1>
      <form onSubmit={submit} noValidate aria-label="Sign in">
        <FormErrors error={error} fields={['email', 'password']} />
        <Field
          label="E-mail address"
          errors={[formState.errors.email?.message, ...apiFieldErrors(error, 'email')]}
        >
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="username"
              autoFocus
              {...register('email', { required: 'Enter your e-mail address' })}
            />
          )}
        </Field>
        <Field
          label="Password"
          errors={[formState.errors.password?.message, ...apiFieldErrors(error, 'password')]}
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              {...register('password', { required: 'Enter your password' })}
            />
          )}
        </Field>
        <button type="submit" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
