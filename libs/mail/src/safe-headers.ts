/**
 * Anything we echo into an outgoing header comes from a stranger. These make sure it cannot add
 * a header, a recipient or a line: control characters go, the length is bounded, and an address
 * is exactly one plain address or nothing.
 */
export class UnsafeAddressError extends Error {}

export function safeHeaderText(value: string | null | undefined, maxLength = 200): string {
  const text = (value ?? '')
    .replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxLength ? text.slice(0, maxLength - 1).trimEnd() + '…' : text;
}

// ASCII or internationalised (RFC 6531/6532: UTF-8 letters in the local part and domain), never
// spaces, commas, angle brackets, quotes or control characters.
const ADDRESS =
  /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?)+$/u;

/** Exactly one plain address (`a@b.example`), lower-cased domain; throws UnsafeAddressError otherwise. */
export function singleRecipient(address: string | null | undefined): string {
  const a = (address ?? '').trim();
  if (!ADDRESS.test(a) || a.length > 254) {
    throw new UnsafeAddressError(
      `not exactly one plain e-mail address: ${JSON.stringify(safeHeaderText(a, 80))}`,
    );
  }
  const at = a.lastIndexOf('@');
  return a.slice(0, at) + '@' + a.slice(at + 1).toLowerCase();
}

export function isPlainAddress(address: string | null | undefined): boolean {
  try {
    singleRecipient(address);
    return true;
  } catch {
    return false;
  }
}
