// Reading a directory import: CSV (csv-parse) or XLSX (exceljs) → numbered rows of text cells
// keyed by column name. The header row is row 1; row numbers are those a spreadsheet shows, so
// a 422 names the rows the operator sees. Checking the rows is domain/directory/schema.ts.
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { NumberedRow } from '../domain/directory/schema'
import { ProblemError } from './problem'

export const csvType = 'text/csv'
export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The most rows one import takes (a whole organisation fits many times over). */
export const maxImportRows = 5000

/** Chinese column titles an operator may use instead of the ids. */
const aliases: Record<string, string> = {
  用户id: 'userId',
  工号: 'userId',
  姓名: 'name',
  名称: 'name',
  角色: 'roles',
  单位: 'unitId',
  单位id: 'unitId',
  语言: 'locale',
  邮箱: 'email',
  电子邮件: 'email',
  企业微信: 'wecomUserId',
  钉钉: 'dingtalkUserId',
  手机: 'mobile',
  飞书: 'feishuOpenId',
  启用: 'active',
  类型: 'kind',
  产品线: 'productLines',
  型号: 'models',
}

interface Table {
  header: string[]
  /** Each data row with its row number in the file. */
  rows: { row: number; cells: string[] }[]
}

/** CSV as exported by spreadsheets: UTF-8 (with or without BOM), or GB18030 from Chinese Excel. */
function decode(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer)
  } catch {
    return new TextDecoder('gb18030').decode(buffer)
  }
}

function readCsv(buffer: Buffer): Table {
  let records: string[][]
  try {
    records = parse(decode(buffer).replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
    }) as string[][]
  } catch (err) {
    throw new ProblemError(
      400,
      'unreadable-import',
      `The CSV file could not be read: ${(err as Error).message}`,
    )
  }
  const [header = [], ...rest] = records
  return { header, rows: rest.map((cells, i) => ({ row: i + 2, cells })) }
}

async function readXlsx(buffer: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer)
  } catch (err) {
    throw new ProblemError(
      400,
      'unreadable-import',
      `The XLSX file could not be read: ${(err as Error).message || 'not a workbook'}`,
    )
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) throw new ProblemError(422, 'empty-import', 'The workbook has no worksheet.')
  const width = sheet.columnCount
  const cellsOf = (rowNumber: number) => {
    const row = sheet.getRow(rowNumber)
    return Array.from({ length: width }, (_, i) => row.getCell(i + 1).text.trim())
  }
  const rows: Table['rows'] = []
  for (let n = 2; n <= sheet.rowCount; n++) rows.push({ row: n, cells: cellsOf(n) })
  return { header: sheet.rowCount >= 1 ? cellsOf(1) : [], rows }
}

/**
 * The file's rows keyed by column name; 422 for an unknown or repeated column, a missing
 * required one, no rows or too many. Blank rows are skipped (their numbers are kept).
 */
export async function readImport(
  body: Buffer,
  contentType: string,
  columns: readonly string[],
  required: readonly string[],
): Promise<NumberedRow[]> {
  const table = contentType === xlsxType ? await readXlsx(body) : readCsv(body)
  const known = new Map(columns.map((c) => [c.toLowerCase(), c]))
  const issues: { field: string; message: string }[] = []
  const names = table.header.map((title) => {
    const key = title.trim().toLowerCase()
    const name = known.get(key) ?? aliases[key] ?? null
    if (name === null && key !== '')
      issues.push({
        field: `header.${title.trim()}`,
        message: `unknown column (expected ${columns.join(', ')})`,
      })
    return name
  })
  const seen = new Set<string>()
  for (const name of names) {
    if (name === null) continue
    if (seen.has(name)) issues.push({ field: `header.${name}`, message: 'column appears twice' })
    seen.add(name)
  }
  for (const name of required) {
    if (!seen.has(name)) issues.push({ field: `header.${name}`, message: 'required column is missing' })
  }
  if (issues.length) {
    throw new ProblemError(
      422,
      'invalid-import-header',
      issues.map((i) => `${i.field}: ${i.message}`).join('; '),
      {
        errors: issues,
      },
    )
  }
  const rows = table.rows
    .filter(({ cells }) => cells.some((cell) => cell.trim() !== ''))
    .map(({ row, cells }) => ({
      row,
      cells: Object.fromEntries(
        names.flatMap((name, i) => (name === null ? [] : [[name, (cells[i] ?? '').trim()] as const])),
      ),
    }))
  if (rows.length === 0) throw new ProblemError(422, 'empty-import', 'The file has a header but no rows.')
  if (rows.length > maxImportRows) {
    throw new ProblemError(
      422,
      'import-too-large',
      `At most ${maxImportRows} rows per import; this file has ${rows.length}.`,
    )
  }
  return rows
}
