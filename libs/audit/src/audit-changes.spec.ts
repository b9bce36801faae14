import { changedFields, MASKED, maskedBody } from './audit-changes';

describe('changedFields', () => {
  it.each([
    [
      'a plain field',
      { role: 'agent' },
      { role: 'manager' },
      { role: { before: 'agent', after: 'manager' } },
    ],
    ['nothing changed', { role: 'agent', updated_at: 1 }, { role: 'agent', updated_at: 2 }, {}],
    [
      'a secret',
      { password_hash: 'a' },
      { password_hash: 'b' },
      { password_hash: { before: MASKED, after: MASKED } },
    ],
    [
      'personal data',
      { email: 'a@x' },
      { email: 'b@x' },
      { email: { before: MASKED, after: MASKED } },
    ],
    [
      'a new row',
      null,
      { name: 'Acme', policy_id: 'p' },
      { name: { before: null, after: MASKED }, policy_id: { before: null, after: 'p' } },
    ],
    [
      'a deleted row',
      { document: { a: 1 } },
      null,
      { document: { before: { a: 1 }, after: null } },
    ],
    [
      'jsonb',
      { document: { a: 1 } },
      { document: { a: 2 } },
      { document: { before: { a: 1 }, after: { a: 2 } } },
    ],
  ])('%s', (_what, before, after, expected) => {
    expect(changedFields(before, after)).toEqual(expected);
  });

  it("keeps an organisation's name (not a person's)", () => {
    expect(changedFields({ name: 'A' }, { name: 'B' }, false)).toEqual({
      name: { before: 'A', after: 'B' },
    });
  });
});

describe('maskedBody', () => {
  it('masks secrets and personal data at every level', () => {
    expect(maskedBody({ password: 'x', role: 'agent', nested: { totpSecret: 'y', n: 1 } })).toEqual(
      {
        password: MASKED,
        role: 'agent',
        nested: { totpSecret: MASKED, n: 1 },
      },
    );
  });
});
