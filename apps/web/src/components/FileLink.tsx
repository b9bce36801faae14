import type { MouseEvent } from 'react';
import { authHeaders } from '../api/endpoints';

/**
 * A download of a ticket's file. With the session cookie a plain link does; the embedded chat signs
 * in with a bearer token instead (a third-party frame may get no cookie), so there the file is
 * fetched with it and handed to the browser as a blob.
 */
export function FileLink({
  ticketId,
  id,
  filename,
}: {
  ticketId: string;
  id: string;
  filename: string;
}) {
  const href = `/api/tickets/${ticketId}/attachments/${id}`;
  const onClick = async (e: MouseEvent<HTMLAnchorElement>) => {
    const headers = authHeaders();
    if (!headers.authorization) return;
    e.preventDefault();
    const res = await fetch(href, { headers });
    if (!res.ok) return;
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <a href={href} download={filename} onClick={(e) => void onClick(e)}>
      {filename}
    </a>
  );
}
