export * from './calendar';
export { add, between, isOpen, nextOpen, businessIntervals } from './business-time';
export { parseGovUkBankHolidays, holidaysOfSet, HOLIDAY_SETS } from './holidays';
