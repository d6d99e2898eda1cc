// The bundled statutory data (chinese-days) cut at a year, for unit tests about the year the
// calendar lacks: with it pinned, "the first year not covered" stays the same year (and the
// dates around it the same weekdays) whatever later releases of chinese-days add.
//   vi.mock('chinese-days/dist/chinese-days.json', async (original) =>
//     (await import('../support/statutory-data')).statutoryDataThrough(2026, await original()))

interface StatutoryJson {
  holidays: Record<string, string>
  workdays: Record<string, string>
  [key: string]: unknown
}

function through(dates: Record<string, string>, lastYear: number): Record<string, string> {
  return Object.fromEntries(Object.entries(dates).filter(([date]) => Number(date.slice(0, 4)) <= lastYear))
}

/** The JSON module with only the arrangements of `lastYear` and before. */
export function statutoryDataThrough(lastYear: number, module: { default: StatutoryJson }) {
  const data = module.default
  const cut = {
    ...data,
    holidays: through(data.holidays, lastYear),
    workdays: through(data.workdays, lastYear),
  }
  return { ...module, default: cut, holidays: cut.holidays, workdays: cut.workdays }
}
