// Where a notice's link opens in the console. A notice to staff links `${PUBLIC_URL}/cases/<caseId>`
// (templates.ts); the API redirects that to the console page (api/routes/console.ts), and the
// console's router reads the same table. A notice's caseId is a case number, or what the notice is
// about when it is not a case: a key account's callbacks (CU-04, `CU-…/callbacks`, the id of their
// workflow), a month's statistics (SV-02, `reports/monthly/YYYY-MM`) or a recurring quality problem
// (SV-03, `QI-<yyyymm>-<model>`). Pure and without dependencies: the console bundles it.

const pages: [pattern: RegExp, page: (m: RegExpExecArray) => string][] = [
  [/^SR-\d{8}-\d{4,}$/, (m) => `service-requests/${m[0]}`],
  [/^CP-\d{8}-\d{4,}$/, (m) => `complaints/${m[0]}`],
  [/^RX-\d{8}-\d{4,}$/, (m) => `returns/${m[0]}`],
  [/^(CU-[0-9A-Z]{10})\/callbacks$/, (m) => `customers/${m[1]}/callbacks`],
  [/^reports\/monthly\/(\d{4}-\d{2})$/, (m) => `reports/monthly/${m[1]}`],
  [/^QI-\d{6}-[A-Za-z0-9._-]{1,80}$/, (m) => `quality-issues/${m[0]}`],
]

/** The console's hash route (without `#/`) of a notice's caseId; null when the console has none. */
export function consolePage(caseId: string): string | null {
  for (const [pattern, page] of pages) {
    const match = pattern.exec(caseId)
    if (match) return page(match)
  }
  return null
}
