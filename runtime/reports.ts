// Reports over the case read model (SV-02, SV-05): the cases received in a period are streamed
// with a projection of what the reports read and counted in code (FerretDB 1.24's $group has
// only $sum and $count and no expressions; the same code runs on MongoDB). CSV and XLSX
// downloads (exceljs) of the same rows.
import ExcelJS from 'exceljs'
import type { Collection, Db, Filter } from 'mongodb'
import { caseFacts, factsProjection, type CaseDocumentLike, type CaseFacts } from '../domain/reports/facts'
import {
  addToIndicators,
  emptyIndicatorTally,
  indicatorsOf,
  type Indicators,
} from '../domain/reports/indicators'
import { addToMonthly, emptyMonthlyTally, monthlyOf, type MonthlyStatistics } from '../domain/reports/monthly'
import type { Period } from '../domain/reports/period'
import { reportColumns, type Cell } from '../domain/reports/table'

/** The case types reports count, each read through the read model's (caseType, receivedAt) index. */
const reportedTypes = ['serviceRequest', 'complaint'] as const

export class ReportStore {
  private readonly cases: Collection<CaseDocumentLike>

  constructor(db: Db) {
    this.cases = db.collection<CaseDocumentLike>('cases')
  }

  /** The facts of every case received in the period (of the unit, when given), one at a time. */
  async *facts(period: Period, unitId?: string): AsyncGenerator<CaseFacts> {
    for (const caseType of reportedTypes) {
      const filter: Filter<CaseDocumentLike> = {
        caseType,
        receivedAt: { $gte: new Date(period.fromMs), $lt: new Date(period.toMs) },
        ...(unitId ? { unitId } : {}),
      }
      const cursor = this.cases.find(filter, { projection: factsProjection, batchSize: 2000 })
      for await (const document of cursor) yield caseFacts(document)
    }
  }

  async indicators(period: Period, unitId?: string): Promise<Indicators> {
    const tally = emptyIndicatorTally()
    for await (const f of this.facts(period, unitId)) addToIndicators(tally, f)
    return indicatorsOf(tally)
  }

  async monthly(period: Period, unitId?: string): Promise<MonthlyStatistics> {
    const tally = emptyMonthlyTally()
    for await (const f of this.facts(period, unitId)) addToMonthly(tally, f)
    return monthlyOf(tally)
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
