// Reports over the case read model (SV-02, SV-04, SV-05): counted from the tallies kept as
// cases change (runtime/report-tally.ts; a report adds up at most 744 hourly summaries a month,
// FerretDB 1.24 having no $group expressions and reading whole documents), the same on MongoDB.
// CSV and XLSX downloads (exceljs) of the same rows.
import ExcelJS from 'exceljs'
import type { Db } from 'mongodb'
import { callbacksCollection } from '../activities/callbacks'
import {
  emptyCallbackTally,
  indicatorsOf,
  tallyCallbacks,
  type CallbackTally,
  type Indicators,
} from '../domain/reports/indicators'
import { monthlyOf, type MonthlyStatistics } from '../domain/reports/monthly'
import type { Period } from '../domain/reports/period'
import { itemRates, type ItemRate } from '../domain/reports/satisfaction'
import { reportColumns, type Cell } from '../domain/reports/table'
import { addScores } from '../domain/reports/tally'
import { MongoDirectory } from './directory'
import { ReportTally } from './report-tally'

export class ReportStore {
  readonly tally: ReportTally

  constructor(private readonly db: Db) {
    this.tally = new ReportTally(db)
  }

  async indicators(period: Period, unitId?: string): Promise<Indicators> {
    const [tally, callbacks] = await Promise.all([
      this.tally.read(period, unitId),
      this.callbacks(period, unitId),
    ])
    return indicatorsOf(tally.monthly.indicators, callbacks)
  }

  async monthly(period: Period, unitId?: string): Promise<MonthlyStatistics> {
    const [tally, callbacks] = await Promise.all([
      this.tally.read(period, unitId),
      this.callbacks(period, unitId),
    ])
    return monthlyOf(tally.monthly, callbacks)
  }

  /**
   * SV-05 / CU-04: the key-account callbacks that fall due in the period, by status. A unit's
   * are those whose account manager belongs to it in the directory (the office makes callbacks,
   * so a production unit usually has none). Few documents (one per account every two months):
   * streamed and counted in code, by `dueAt`, on FerretDB as on MongoDB.
   */
  async callbacks(period: Period, unitId?: string): Promise<CallbackTally> {
    let managers: Set<string> | null = null
    if (unitId !== undefined) {
      const staff = this.db.collection<{ _id: string }>(MongoDirectory.collections.staff)
      const members = await staff.find({ unitId }, { projection: { _id: 1 } }).toArray()
      managers = new Set(members.map((m) => m._id))
      if (managers.size === 0) return emptyCallbackTally()
    }
    const found = this.db
      .collection<{ status: string; accountManager: string }>(callbacksCollection)
      .find(
        { dueAt: { $gte: new Date(period.fromMs), $lt: new Date(period.toMs) } },
        { projection: { status: 1, accountManager: 1 } },
      )
    const tally = emptyCallbackTally()
    for await (const callback of found)
      if (!managers || managers.has(callback.accountManager)) tallyCallbacks([callback], tally)
    return tally
  }

  /**
   * SV-04: per-item satisfaction of the surveys of the cases received in the period, and of the
   * SV-01 campaign answers of the months `from`..`to` (`YYYY-MM`).
   */
  async surveyItems(
    period: Period,
    months: { from: string; to: string },
  ): Promise<{ surveys: number; campaignAnswers: number; items: Record<string, ItemRate> }> {
    const { monthly, items } = await this.tally.read(period)
    let campaignAnswers = 0
    const answers = this.db
      .collection<{ scores: Record<string, number> }>('survey_responses')
      .find({ month: { $gte: months.from, $lte: months.to } }, { projection: { scores: 1 } })
    for await (const answer of answers) {
      campaignAnswers += 1
      addScores(items, answer.scores)
    }
    return { surveys: monthly.indicators.satisfaction.d, campaignAnswers, items: itemRates(items) }
  }
}

const csvCell = (cell: Cell): string => {
  if (cell === null) return ''
  const text = String(cell)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** RFC 4180 CSV with a UTF-8 byte-order mark, so Excel opens the Chinese titles correctly. */
export function reportCsv(rows: Cell[][]): string {
  return (
    '\uFEFF' +
    [reportColumns as readonly Cell[], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') +
    '\r\n'
  )
}

export async function reportXlsx(title: string, rows: Cell[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.created = new Date(0) // reproducible files: the same report gives the same bytes' content
  const sheet = workbook.addWorksheet('report')
  sheet.addRow([title])
  sheet.addRow([...reportColumns])
  sheet.getRow(2).font = { bold: true }
  for (const row of rows) {
    const added = sheet.addRow(row)
    // Shares as percentages; the mean time to repair in hours.
    added.getCell(5).numFmt = String(row[1]).startsWith('meanTimeToRepairHours') ? '0.0' : '0.00%'
  }
  sheet.getColumn(2).width = 48
  sheet.getColumn(6).width = 80
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
