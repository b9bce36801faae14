/**
 * Web storage that may be refused (a third-party frame, private browsing): falls back to memory, so
 * the chat still works and keeps its outbox for as long as the page lives.
 */
export function tolerantStorage(kind: 'local' | 'session') {
  const memory = new Map<string, string>();
  const real = (): Storage | null => {
    try {
      return kind === 'local' ? window.localStorage : window.sessionStorage;
    } catch {
      return null;
    }
  };
  return {
    get(key: string): string | null {
      try {
        return real()?.getItem(key) ?? memory.get(key) ?? null;
      } catch {
        return memory.get(key) ?? null;
      }
    },
    set(key: string, value: string): void {
      memory.set(key, value);
      try {
        real()?.setItem(key, value);
      } catch {
        /* memory only */
      }
    },
    remove(key: string): void {
      memory.delete(key);
      try {
        real()?.removeItem(key);
      } catch {
        /* memory only */
      }
    },
  };
}
