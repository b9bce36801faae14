/**
 * The business-hours core is shared with the server, where it loads the date-holidays rules with
 * `require('date-holidays')` the first time a non-UK holiday set (e.g. "dk") is used. In the
 * browser those rules (1.4 MB) load in the background as their own chunk, so the first page is not
 * held up; until they are in, such a calendar cannot be computed and callers show the plain due time.
 */
export class HolidayRulesLoading extends Error {
  constructor() {
    super('The holiday rules are still loading.');
  }
}

let loaded: unknown = null;
const listeners = new Set<() => void>();

export function onHolidayRulesLoaded(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function installHolidayRules(): Promise<void> {
  const g = globalThis as unknown as { require?: (name: string) => unknown };
  const previous = g.require;
  g.require = (name: string) => {
    if (name === 'date-holidays') {
      if (!loaded) throw new HolidayRulesLoading();
      return loaded;
    }
    if (previous) return previous(name);
    throw new Error(`module ${name} is not available in the browser`);
  };
  return import('date-holidays').then((mod) => {
    loaded = (mod as unknown as { default?: unknown }).default ?? mod;
    for (const fn of listeners) fn();
  });
}
