// PRC business calendar: statutory working days (incl. 调休 make-up days), working hours, closures.
export { CalendarInputError, CalendarNotCoveredError } from './errors'
export { calendarIssues, defaultCalendarConfig, type CalendarConfig, type CalendarIssue } from './config'
export { bundledCoverage } from './statutory'
export {
  addWorkingDays,
  describeDay,
  isWorkingDay,
  nextWorkingDay,
  type DayDescription,
  type DayKind,
} from './days'
export {
  addWorkingDaysAt,
  addWorkingHours,
  isWorkingTime,
  localDate,
  nextWorkingMoment,
  workingPeriod,
} from './time'
export {
  calendarEndWarning,
  certainWorkingDaysBetween,
  estimating,
  isCoveredYear,
  lastCoveredYear,
  withWeekdayYears,
  type Estimated,
} from './estimate'
