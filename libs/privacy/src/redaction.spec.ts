import { REDACTED, scrub } from './redaction';

describe('scrub', () => {
  it.each([
    ['Hello Alice Archer, thanks', ['Alice Archer'], `Hello ${REDACTED}, thanks`],
    ['Dear alice,', ['Alice Archer'], `Dear ${REDACTED},`],
    ['mail alice@acme.example now', ['alice@acme.example'], `mail ${REDACTED} now`],
    ['Malice is not a name', ['Alice Archer'], 'Malice is not a name'],
    ['Al is too short', ['Al Bo'], 'Al is too short'],
    ['a (.*) b', ['(.*)'], `a ${REDACTED} b`],
  ])('%s', (text, ids, expected) => expect(scrub(text, ids)).toBe(expected));
});
