/** A calendar document, holiday list or argument that cannot be used; the message says why. */
export class CalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}
