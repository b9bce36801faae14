import { useForm } from 'react-hook-form';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useState } from 'react';
import { homeOf, useAuth } from '../auth';
import { Field, FormErrors, apiFieldErrors } from '../components/Field';

export function LoginPage() {
  const { user, login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const { register, handleSubmit, formState } = useForm<{ email: string; password: string }>();
  if (user) return <Navigate to={params.get('next') || homeOf(user)} replace />;
  const submit = handleSubmit(async ({ email, password }) => {
    setError(null);
    try {
      const u = await login(email.trim(), password);
      navigate(params.get('next') || homeOf(u), { replace: true });
    } catch (e) {
      setError(e);
    }
  });
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
