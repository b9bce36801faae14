import { safeContentType, safeFilename } from './attachments';

describe('attachment names and types', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\Skærmbillede.png', 'Skærmbillede.png'],
    ['a"b\u0000c\r\n.txt', 'abc.txt'],
    ['..', 'attachment'],
    ['', 'attachment'],
    [undefined, 'attachment'],
  ])('%j is stored as %j', (given, stored) => expect(safeFilename(given)).toBe(stored));

  it.each([
    ['image/PNG', 'image/png'],
    ['text/html; charset=utf-8', 'application/octet-stream'],
    ['nonsense', 'application/octet-stream'],
    [undefined, 'application/octet-stream'],
  ])('type %j is served as %j', (given, served) => expect(safeContentType(given)).toBe(served));
});
