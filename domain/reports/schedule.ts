// SV-02: when a month's statistics go out — the start of working hours on the first working day
// of the following month, by the policy's PRC calendar (a month opening with the Spring Festival
// or National Day holidays waits for them). Pure.
import { addWorkingDays, estimating, workingPeriod, type CalendarConfig } from '../calendar'

/** `YYYY-MM` → the next month. */
export function monthAfter(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
}

export interface ReportDue {
  /** The first working day of the following month, `YYYY-MM-DD`. */
  date: string
  /** Its working hours' start, epoch ms. */
  at: number
  /** Years the calendar lacks, counted Monday to Friday. */
  estimatedYears: number[]
}

export function monthlyReportDue(month: string, cal: CalendarConfig): ReportDue {
  const { value: date, estimatedYears } = estimating(cal, (c) =>
    addWorkingDays(`${monthAfter(month)}-01`, 0, c),
  )
  return { date, at: workingPeriod(date, cal).start, estimatedYears }
}
