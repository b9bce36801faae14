import { RESTRICTED_TEXT, TicketAccess, type Viewer } from '@app/tickets';
import type { InboundMailRepository, InboundMailSummary } from './inbound-mail.repository';

type Detail = NonNullable<Awaited<ReturnType<InboundMailRepository['detail']>>>;
type TicketFile = Awaited<ReturnType<InboundMailRepository['attachmentsOfTicket']>>[number];

/**
 * The mail channel's answers as `viewer` may see them (TicketAccess): a mail of an OFFICIAL-SENSITIVE
 * ticket keeps its sender, times and outcome, but its subject, text, HTML and file names are for
 * cleared staff only. The ticket's sensitivity comes with each row.
 */
export function inboundSummaryView(viewer: Viewer, m: InboundMailSummary) {
  const { sensitive, ...rest } = m;
  const visible = TicketAccess.maySeeContent(viewer, { sensitive });
  return { ...rest, subject: visible ? m.subject : null, restricted: !visible };
}

export function inboundDetailView(viewer: Viewer, d: Detail) {
  const { sensitive, ...rest } = d;
  if (TicketAccess.maySeeContent(viewer, { sensitive })) return { ...rest, restricted: false };
  return {
    ...rest,
    subject: null,
    text: null,
    html: null,
    attachments: d.attachments.map((a) => hiddenName(a)),
    restricted: true,
  };
}

export function ticketFilesView(
  viewer: Viewer,
  ticket: { sensitive: boolean } | null,
  files: TicketFile[],
): TicketFile[] {
  return ticket && !TicketAccess.maySeeContent(viewer, ticket) ? files.map(hiddenName) : files;
}

const hiddenName = <T extends { filename: string }>(a: T): T => ({
  ...a,
  filename: RESTRICTED_TEXT,
});
