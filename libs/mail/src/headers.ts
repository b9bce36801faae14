/**
 * The top-level header block of a raw RFC 822 message, read without trusting it: unfolded,
 * names lower-cased, values kept as raw text (encoded words are not decoded here). Robot and
 * bounce detection look at these, because they must work even when the full parse fails.
 */
export type HeaderBag = Map<string, string[]>;

/** Split the raw message at the first empty line; tolerate LF-only line endings and a leading mbox `From ` line. */
export function readHeaderBlock(raw: Buffer | string): HeaderBag {
  const text =
    typeof raw === 'string' ? raw : raw.toString('latin1', 0, Math.min(raw.length, 256 * 1024));
  const end = text.search(/\r?\n\r?\n/);
  const block = end === -1 ? text : text.slice(0, end);
  const bag: HeaderBag = new Map();
  let current: { name: string; value: string } | null = null;
  const flush = () => {
    if (!current) return;
    const list = bag.get(current.name) ?? [];
    list.push(current.value.trim());
    bag.set(current.name, list);
    current = null;
  };
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && current) {
      current.value += ' ' + line.trim();
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0) continue; // mbox "From " line or garbage: skip
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    current = { name, value: line.slice(colon + 1) };
  }
  flush();
  return bag;
}

export function first(bag: HeaderBag, name: string): string | undefined {
  return bag.get(name.toLowerCase())?.[0];
}

/** Bare addresses (`local@domain`, lower-cased) found in an address header value. */
export function addressesIn(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  const angle = [...value.matchAll(/<([^<>\s]*)>/g)].map((m) => m[1]);
  const candidates = angle.length ? angle : value.split(/[,;\s]+/);
  for (const c of candidates) {
    const m = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/.exec(c.trim());
    if (m) out.push(m[0].toLowerCase());
  }
  return out;
}

/** Message-IDs in a header value (`<id@host>` tokens), without angle brackets, in order. */
export function messageIdsIn(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
}
