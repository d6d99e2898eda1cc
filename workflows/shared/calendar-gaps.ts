// A case whose working-day arithmetic reached a year the statutory calendar lacks: the year is
// counted Monday to Friday (domain/calendar/estimate.ts), the operator is told once per year,
// and the case takes the exact dates when an operator's calendar with that year arrives.
import { defineUpdate, patched, setHandler } from '@temporalio/workflow'
import { calendarIssues, isCoveredYear, type CalendarConfig } from '../../domain/calendar'
import type { Actor } from '../../domain/roles'
import type { CaseRecord } from './case-record'
import type { Tell } from './notices'
import { refuse } from './steps'

export interface AdoptCalendarCommand {
  actor: Actor
  calendar: CalendarConfig
  requestId?: string
}

/** An operator's calendar with more statutory years; the case recomputes its estimated dates. */
export const adoptCalendarUpdate = defineUpdate<{ estimatedYears: number[] }, [AdoptCalendarCommand]>(
  'adoptCalendar',
)

export class CalendarGaps {
  private readonly estimated = new Set<number>()

  constructor(private readonly tell: Tell) {}

  /** Years this case counted Monday–Friday and still waits to take exactly. */
  get years(): number[] {
    return [...this.estimated].sort()
  }

  /** Notes estimated years; the operator hears of each year once per case. */
  async note(years: readonly number[], what: string): Promise<void> {
    for (const year of years) {
      if (this.estimated.has(year)) continue
      this.estimated.add(year)
      // Cases that met the gap before these alerts existed replay without them.
      if (!patched('calendar-gap-alerts')) continue
      await this.tell(`calendar-estimated:${year}`, { roles: ['operator'] }, 'calendar.estimated', {
        year,
        what,
      })
    }
  }

  /**
   * Accepts a calendar that covers at least one estimated year; `apply` switches the case to it
   * and recomputes. Refused (so nothing is written to history) when it brings nothing new.
   */
  register(
    record: CaseRecord,
    apply: (calendar: CalendarConfig) => void,
    publish: () => Promise<void>,
  ): void {
    setHandler(
      adoptCalendarUpdate,
      async ({ actor, calendar, requestId }) => {
        const covered = this.years.filter((year) => isCoveredYear(year, calendar))
        for (const year of covered) this.estimated.delete(year)
        apply(calendar)
        await record.decide(actor, 'adoptCalendar', { years: covered }, requestId)
        await publish()
        return { estimatedYears: this.years }
      },
      {
        validator: ({ actor, calendar }) => {
          if (actor.role !== 'operator') refuse.forbidden('calendar.adoptForOperators')
          if (calendarIssues(calendar).length > 0) refuse.input('calendar.invalid')
          if (!this.years.some((year) => isCoveredYear(year, calendar)))
            refuse.state('calendar.coversNoYear', { years: this.years })
        },
      },
    )
  }
}
