import { passwordProblem } from './passwords';

describe('passwordProblem (trust.md: 12 to 128 characters, common ones refused, no composition rules)', () => {
  it.each([
    ['correct horse battery', {}, null],
    ['lowercaseonlyletters', {}, null], // no composition rules
    ['twelve chars', {}, null],
    ['elevenchars', {}, 'password must be at least 12 characters long'],
    ['eight ch', { minLength: 8 }, null],
    ['seven c', { minLength: 8 }, 'password must be at least 8 characters long'],
    ['x'.repeat(128), {}, null],
    ['x'.repeat(129), {}, 'password must be at most 128 characters long'],
    ['ŧ'.repeat(12), {}, null], // characters, not bytes
    ['password1234', {}, 'password is one of the most common passwords; choose another'],
    ['PASSWORD1234', {}, 'password is one of the most common passwords; choose another'],
    ['qwertyuiop123', {}, 'password is one of the most common passwords; choose another'],
    ['Ann@Example.com', { email: 'ann@example.com' }, 'password must not be your e-mail address'],
    [
      'password1234',
      { field: 'newPassword' },
      'newPassword is one of the most common passwords; choose another',
    ],
  ] as const)('%j %j → %j', (password, opts, expected) => {
    expect(passwordProblem(password, opts)).toBe(expected);
  });
});
