import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/endpoints';
import { FilePicker } from '../../components/Attachments';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';

/** Public reply or internal note: the choice changes the colour, the words and the button. */
export function Composer({ ticketId }: { ticketId: string }) {
  const client = useQueryClient();
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [picker, setPicker] = useState(0);
  const send = useMutation({
    mutationFn: async () => {
      // One message: the files take its visibility (an internal note's files are for staff only).
      await api.tickets.reply(
        ticketId,
        { body: body.trim() ? body : undefined, visibility },
        files,
      );
    },
    onSuccess: () => {
      setBody('');
      setFiles([]);
      setPicker((n) => n + 1);
      void client.invalidateQueries({ queryKey: ['tickets'] });
      void client.invalidateQueries({ queryKey: ['alarms'] });
    },
  });
  const isPublic = visibility === 'public';
  return (
    <form
      className={`stack composer ${visibility}`}
      aria-label={isPublic ? 'Public reply to the customer' : 'Internal note for staff'}
      onSubmit={(e) => {
        e.preventDefault();
        if (body.trim() || files.length) send.mutate();
      }}
    >
      <fieldset className="visibility">
        <legend>Who sees this message?</legend>
        <label>
          <input
            type="radio"
            name="visibility"
            checked={isPublic}
            onChange={() => setVisibility('public')}
          />{' '}
          Public reply: sent to the customer
        </label>
        <label>
          <input
            type="radio"
            name="visibility"
            checked={!isPublic}
            onChange={() => setVisibility('internal')}
          />{' '}
          Internal note: staff only
        </label>
      </fieldset>
      <FormErrors error={send.error} fields={['body', 'visibility']} />
      <Field
        label={isPublic ? 'Reply to the customer' : 'Internal note (the customer never sees it)'}
        errors={apiFieldErrors(send.error, 'body')}
      >
        {(p) => <textarea {...p} rows={5} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <FilePicker key={picker} id="composer-files" files={files} onChange={setFiles} />
      <button
        type="submit"
        className={isPublic ? '' : 'internal'}
        disabled={send.isPending || (!body.trim() && !files.length)}
      >
        {send.isPending
          ? 'Sending…'
          : isPublic
            ? 'Send public reply to customer'
            : 'Add internal note'}
      </button>
    </form>
  );
}
