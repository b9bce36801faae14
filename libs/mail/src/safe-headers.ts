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

const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Exactly one plain address (`a@b.example`), lower-cased domain; throws UnsafeAddressError otherwise. */
export function singleRecipient(address: string | null | undefined): string {
  const a = (address ?? '').trim();
  if (!ADDRESS.test(a) || a.length > 254) {
    throw new UnsafeAddressError(`not exactly one plain e-mail address: ${JSON.stringify(safeHeaderText(a, 80))}`);
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
