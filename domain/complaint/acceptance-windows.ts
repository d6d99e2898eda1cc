// CP-04: the acceptance windows counted, without zod so the workflows do not load it (the shapes
// the API publishes are in acceptance.ts).
import { Temporal } from 'temporal-polyfill'
import type { Policy } from '../policy/schema'
import type { AcceptanceCheck, AcceptanceWindow, WindowRule } from './acceptance'
import type { ComplaintIntake } from './intake'

type Rules = Pick<Policy['complaints'], 'appealWithin' | 'complaintWithin' | 'writtenObjectionWithin'>

/** The last local day of a window of `within` (ISO duration) starting on `fromDate`. */
export function lastDayOf(fromDate: string, within: string, timeZone: string): string {
  return Temporal.PlainDate.from(fromDate)
    .toZonedDateTime({ timeZone })
    .add(Temporal.Duration.from(within))
    .toPlainDate()
    .toString()
}

/** The first instant after the window: the start of the day after its last day. */
export function windowClosesAt(lastDay: string, timeZone: string): number {
  return Temporal.PlainDate.from(lastDay).add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds
}

const objectsToReport = (c: ComplaintIntake) =>
  c.category === 'result_objection' || c.category === 'report_form_or_impartiality'

/** Every CP-04 window that applies to this complaint or appeal, checked at `receivedAt`. */
export function acceptanceWindows(
  intake: ComplaintIntake,
  rules: Rules,
  receivedAt: number,
  timeZone: string,
): AcceptanceCheck {
  const receivedOn = Temporal.Instant.fromEpochMilliseconds(receivedAt)
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .toString()
  const windows: AcceptanceWindow[] = []
  const add = (rule: WindowRule, from: string, fromDate: string, within: string) => {
    const lastDay = lastDayOf(fromDate, within, timeZone)
    windows.push({
      rule,
      from,
      fromDate,
      within,
      lastDay,
      met: receivedAt < windowClosesAt(lastDay, timeZone),
    })
  }
  const report = intake.report
  if (intake.kind === 'appeal' && report?.issuedOn) {
    add('appeal', `report ${report.number} issued`, report.issuedOn, rules.appealWithin)
  }
  if (intake.kind === 'complaint') {
    if (report?.issuedOn)
      add('complaint', `report ${report.number} issued`, report.issuedOn, rules.complaintWithin)
    else if (intake.occurredOn)
      add('complaint', 'the activity complained about', intake.occurredOn, rules.complaintWithin)
  }
  if (
    (intake.kind === 'complaint' || intake.kind === 'appeal') &&
    intake.form === 'written' &&
    objectsToReport(intake) &&
    report?.receivedOn
  ) {
    add(
      'written_objection',
      `report ${report.number} received`,
      report.receivedOn,
      rules.writtenObjectionWithin,
    )
  }
  return { receivedOn, windows, late: windows.some((w) => !w.met) }
}

const ruleNames: Record<WindowRule, string> = {
  appeal: 'An appeal',
  complaint: 'A complaint',
  written_objection: 'A written objection to a report',
}

/** CP-04: the reason the complainant is told when a window was missed. */
export function lateReason(check: AcceptanceCheck): string | null {
  const missed = check.windows.filter((w) => !w.met)
  if (!missed.length) return null
  return missed
    .map(
      (w) =>
        `${ruleNames[w.rule]} is accepted within ${w.within} after ${w.from} on ${w.fromDate}; ` +
        `the last day was ${w.lastDay}, it was received on ${check.receivedOn} (CP-04).`,
    )
    .join(' ')
}
