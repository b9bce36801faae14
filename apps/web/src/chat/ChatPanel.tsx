import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { api } from '../api/endpoints';
import type { Chat, ChatAvailability, Severity } from '../api/types';
import { FilePicker } from '../components/Attachments';
import { FormErrors, apiFieldErrors } from '../components/Field';
import { SeverityChoice } from '../components/SeverityChoice';
import { Time } from '../components/Time';
import { ChatComposer, ChatTranscript } from './ChatTranscript';
import { newMessageId } from './connection';
import { useChat } from './useChat';

const MINE = ['chats', 'mine'] as const;

/**
 * The customer's chat: opens a conversation (severity chosen as on the web form) or, when nobody can
 * answer now, takes a message; then follows it live. `embedded`: inside a customer's own site (no
 * links into the portal).
 */
export function ChatPanel({ embedded = false }: { embedded?: boolean }) {
  const mine = useQuery({ queryKey: MINE, queryFn: () => api.chats.list() });
  const [chosen, setChosen] = useState<string | null | undefined>(undefined);
  if (mine.isPending) return <p role="status">Loading…</p>;
  const current = chosen === undefined ? (mine.data?.[0]?.ticketId ?? null) : chosen;
  if (!current) return <StartChat onStarted={(c) => setChosen(c.ticketId)} />;
  return <LiveChat ticketId={current} embedded={embedded} onNew={() => setChosen(null)} />;
}

function DeskNotice({ a }: { a: ChatAvailability }) {
  if (a.mode === 'live')
    return (
      <p className="notice notice-open" role="status">
        The desk is open and an agent is available: start the chat and we answer here.
      </p>
    );
  return (
    <p className="notice notice-closed" role="status">
      {a.open ? (
        'No agent is free to chat right now.'
      ) : (
        <>
          The desk is closed. It opens <Time at={a.opensAt} zone={a.timeZone} />.
        </>
      )}{' '}
      Leave a message: your ticket is raised now, timed from this moment by the desk&apos;s hours,
      and we answer here and by e-mail.
    </p>
  );
}

interface StartForm {
  severity: string;
  body: string;
  sensitive: boolean;
}

function StartChat({ onStarted }: { onStarted(c: Chat): void }) {
  const client = useQueryClient();
  const { register, handleSubmit, formState, watch } = useForm<StartForm>({
    defaultValues: { severity: '', body: '', sensitive: false },
  });
  const sensitive = watch('sensitive');
  const availability = useQuery({
    queryKey: ['chats', 'availability', sensitive],
    queryFn: () => api.chats.availability(sensitive),
    refetchInterval: 30_000,
  });
  // The same id while retrying, so a first message sent twice opens one chat.
  const firstId = useRef(newMessageId());
  const open = useMutation({
    mutationFn: (f: StartForm) =>
      api.chats.open({
        clientMessageId: firstId.current,
        severity: Number(f.severity) as Severity,
        body: f.body,
        sensitive: f.sensitive,
      }),
    onSuccess: (c) => {
      firstId.current = newMessageId();
      void client.invalidateQueries({ queryKey: ['chats'] });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      onStarted(c);
    },
  });
  const a = availability.data;
  return (
    <section className="chat-panel" aria-label="Support chat">
      <h1 tabIndex={-1}>Chat with support</h1>
      {a && <DeskNotice a={a} />}
      <form
        className="stack"
        aria-label="Start a chat"
        noValidate
        onSubmit={handleSubmit((f) => open.mutate(f))}
      >
        <FormErrors error={open.error} fields={['severity', 'body', 'sensitive']} />
        <SeverityChoice
          registration={register('severity', { required: 'Choose a severity' })}
          errors={[formState.errors.severity?.message, ...apiFieldErrors(open.error, 'severity')]}
        />
        <div className="field">
          <label htmlFor="chat-first">Your message</label>
          <textarea
            id="chat-first"
            rows={4}
            aria-invalid={!!formState.errors.body}
            {...register('body', { required: 'Write what the problem is' })}
          />
          {(formState.errors.body || apiFieldErrors(open.error, 'body').length > 0) && (
            <div className="error" role="alert">
              {[formState.errors.body?.message, ...apiFieldErrors(open.error, 'body')]
                .filter(Boolean)
                .join('; ')}
            </div>
          )}
        </div>
        <div className="field checkbox">
          <label>
            <input type="checkbox" {...register('sensitive')} /> This problem involves{' '}
            <strong>OFFICIAL-SENSITIVE</strong> data
          </label>
          <div className="hint">Only members of our staff with security clearance will join.</div>
        </div>
        <button type="submit" disabled={open.isPending}>
          {open.isPending ? 'Sending…' : a?.mode === 'message' ? 'Leave a message' : 'Start chat'}
        </button>
      </form>
    </section>
  );
}

function stateText(c: Chat): string {
  if (c.state === 'ended') return `This chat has ended. Your ticket ${c.reference} stays open.`;
  if (c.state === 'active') return `You are chatting with ${c.agentName ?? 'our support team'}.`;
  if (c.mode === 'message') return 'Message left: we answer here and by e-mail.';
  return 'Waiting for an agent…';
}

function LiveChat({
  ticketId,
  embedded,
  onNew,
}: {
  ticketId: string;
  embedded: boolean;
  onNew(): void;
}) {
  const client = useQueryClient();
  const live = useChat(ticketId);
  const [files, setFiles] = useState<File[]>([]);
  const [picker, setPicker] = useState(0);
  const end = useMutation({
    mutationFn: () => api.chats.end(ticketId),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['chats'] }),
  });
  const attach = useMutation({
    mutationFn: () => api.tickets.attach(ticketId, files),
    // The files become a message of their own, which the stream brings like any other.
    onSuccess: () => {
      setFiles([]);
      setPicker((n) => n + 1);
      void client.invalidateQueries({ queryKey: ['tickets', 'attachments', ticketId] });
    },
  });
  const c = live.chat;
  return (
    <section className="chat-panel" aria-label="Support chat">
      <h1 tabIndex={-1}>
        Chat with support{c && <span className="chat-ref"> · {c.reference}</span>}
      </h1>
      {c && (
        <p className="chat-state" role="status" data-state={c.state}>
          {stateText(c)}
          {c.opensAt && c.state === 'waiting' && (
            <>
              {' '}
              The desk opens <Time at={c.opensAt} />.
            </>
          )}
        </p>
      )}
      <ChatTranscript
        messages={live.messages}
        pending={live.pending}
        link={live.link}
        audience="customer"
        onDiscard={live.discard}
      />
      <ChatComposer onSend={(body) => live.send(body)} />
      <form
        className="chat-attach"
        aria-label="Attach files"
        onSubmit={(e) => {
          e.preventDefault();
          if (files.length) attach.mutate();
        }}
      >
        <FilePicker key={picker} id="chat-files" files={files} onChange={setFiles} />
        {files.length > 0 && (
          <button type="submit" disabled={attach.isPending}>
            {attach.isPending ? 'Uploading…' : 'Upload'}
          </button>
        )}
        {attach.error && (
          <p className="error" role="alert">
            {(attach.error as Error).message}
          </p>
        )}
      </form>
      <div className="actions">
        {c?.state !== 'ended' ? (
          <button type="button" className="secondary" onClick={() => end.mutate()}>
            End chat
          </button>
        ) : (
          <button type="button" onClick={onNew}>
            Start a new chat
          </button>
        )}
        {!embedded && c && (
          <Link to={`/portal/tickets/${ticketId}`}>Open ticket {c.reference}</Link>
        )}
      </div>
    </section>
  );
}
