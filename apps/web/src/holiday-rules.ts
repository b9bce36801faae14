/**
 * The business-hours core is shared with the server, where it loads the date-holidays rules with
 * `require('date-holidays')` the first time a non-UK holiday set is used. In the browser we load
 * them once (their own chunk) and answer that require.
 */
export async function installHolidayRules(): Promise<void> {
  const mod = (await import('date-holidays')) as unknown as { default?: unknown };
  const Holidays = mod.default ?? mod;
  const g = globalThis as unknown as { require?: (name: string) => unknown };
  const previous = g.require;
  g.require = (name: string) => {
    if (name === 'date-holidays') return Holidays;
    if (previous) return previous(name);
    throw new Error(`module ${name} is not available in the browser`);
  };
}
