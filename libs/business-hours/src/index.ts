export * from './calendar';
export { add, between, isOpen, nextOpen, businessIntervals } from './business-time';
export {
  parseGovUkBankHolidays,
  holidaysOfSet,
  bundledUkBankHolidays,
  ruleBasedHolidays,
  registerHolidayRules,
  type HolidayRules,
  HOLIDAY_SETS,
  type Holiday,
} from './holidays';
export { describeInstant, describeLocalDay, localDayOf } from './describe';
export { DAY_MS, isoDateOfDay, dayFromIsoDate, parseIsoInstant } from './civil';
export { addCalendarMonths } from './calendar-months';
