import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { api } from '../../api/endpoints';
import type { Severity } from '../../api/types';
import { SeverityChoice } from '../../components/SeverityChoice';
import { FilePicker } from '../../components/Attachments';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';

interface Form {
  subject: string;
  description: string;
  severity: string;
  sensitive: boolean;
  dataProtection: boolean;
}

const FIELDS = ['subject', 'description', 'severity', 'sensitive', 'kind'];

export function RaiseTicketPage() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const { register, handleSubmit, formState } = useForm<Form>({
    defaultValues: { severity: '', sensitive: false, dataProtection: false },
  });
  const [files, setFiles] = useState<File[]>([]);
  const create = useMutation({
    mutationFn: async (f: Form) => {
      const t = await api.tickets.create({
        subject: f.subject.trim(),
        description: f.description,
        severity: Number(f.severity) as Severity,
        sensitive: f.sensitive,
        ...(f.dataProtection ? { kind: 'data_protection_request' as const } : {}),
      });
      // The ticket is raised even if a file is refused: say so on its page, where the files can be tried again.
      const attachError = files.length
        ? await api.tickets.attach(t.id, files).then(
            () => null,
            (e: Error) => e.message,
          )
        : null;
      return { t, attachError };
    },
    onSuccess: ({ t, attachError }) => {
      void client.invalidateQueries({ queryKey: ['tickets'] });
      navigate(`/portal/tickets/${t.id}`, { state: { created: true, attachError } });
    },
  });
  const err = create.error;
  return (
    <section>
      <h1 tabIndex={-1}>Raise a ticket</h1>
      <form
        onSubmit={handleSubmit((f) => create.mutate(f))}
        noValidate
        aria-label="Raise a ticket"
        className="stack"
      >
        <FormErrors error={err} fields={FIELDS} />
        <Field
          label="Subject"
          errors={[formState.errors.subject?.message, ...apiFieldErrors(err, 'subject')]}
        >
          {(p) => (
            <input
              {...p}
              {...register('subject', {
                required: 'Give the ticket a subject',
                maxLength: { value: 200, message: 'The subject can be at most 200 characters' },
              })}
            />
          )}
        </Field>
        <Field
          label="Description"
          hint="What happened, what you expected, and who is affected."
          errors={[formState.errors.description?.message, ...apiFieldErrors(err, 'description')]}
        >
          {(p) => (
            <textarea
              {...p}
              rows={7}
              {...register('description', { required: 'Describe the problem' })}
            />
          )}
        </Field>
        <SeverityChoice
          registration={register('severity', { required: 'Choose a severity' })}
          errors={[formState.errors.severity?.message, ...apiFieldErrors(err, 'severity')]}
        />
        <div className="field checkbox">
          <label>
            <input type="checkbox" {...register('sensitive')} /> This problem involves{' '}
            <strong>OFFICIAL-SENSITIVE</strong> data
          </label>
          <div className="hint">
            Only members of our staff with security clearance will see the ticket's content.
          </div>
          {apiFieldErrors(err, 'sensitive').length > 0 && (
            <div className="error" role="alert">
              {apiFieldErrors(err, 'sensitive').join('; ')}
            </div>
          )}
        </div>
        <div className="field checkbox">
          <label>
            <input type="checkbox" {...register('dataProtection')} /> This is a request about my
            personal data (a copy, a correction, erasure or portability)
          </label>
          <div className="hint">We answer such requests within one month.</div>
          {apiFieldErrors(err, 'kind').length > 0 && (
            <div className="error" role="alert">
              {apiFieldErrors(err, 'kind').join('; ')}
            </div>
          )}
        </div>
        <FilePicker id="raise-files" files={files} onChange={setFiles} />
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Sending…' : 'Raise ticket'}
        </button>
      </form>
    </section>
  );
}
