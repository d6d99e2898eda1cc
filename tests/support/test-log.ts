// The Temporal Runtime's logger in tests: it keeps every line (workflow and activity `log`
// calls, the worker's lifecycle, core's forwarded warnings) in memory instead of printing it,
// filed under the workflow it belongs to. A green run prints none of it; a failing test prints
// the lines of the workflows that were active while it ran (their whole story, from their
// first line) and the other lines of its own time (tests/setup/quiet-logs.ts wires this up).
import { LogTimestamp, type LogLevel, type LogMetadata, type Logger } from '@temporalio/worker'

interface Line {
  seq: number
  /** When it was logged (ms); lines reach the logger in batches, so they are sorted by this. */
  at: number
  text: string
}

/** Lines kept per workflow and for the worker as a whole (the oldest go first). */
const maxLinesPerBuffer = 2_000
/** Attributes every line carries that say nothing about the case. */
const quietKeys = new Set([
  'sdkComponent',
  'taskQueue',
  'namespace',
  'runId',
  'workflowRunId',
  'isLocal',
  'taskToken',
])

function format(at: number, level: LogLevel, message: string, meta: LogMetadata | undefined): string {
  const rest: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(meta ?? {})) if (!quietKeys.has(key)) rest[key] = value
  const component = typeof meta?.sdkComponent === 'string' ? `${meta.sdkComponent} ` : ''
  const details = Object.keys(rest).length ? ` ${safeJson(rest)}` : ''
  return `${new Date(at).toISOString()} ${level.padEnd(5)} ${component}${message}${details}`
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  } catch {
    return String(value)
  }
}

const chronological = (lines: Line[]) => [...lines].sort((a, b) => a.at - b.at).map((l) => l.text)

function push(buffer: Line[], line: Line): void {
  buffer.push(line)
  if (buffer.length > maxLinesPerBuffer) buffer.splice(0, buffer.length - maxLinesPerBuffer)
}

export class BufferedTestLogger implements Logger {
  private seq = 0
  private readonly byWorkflow = new Map<string, Line[]>()
  private readonly general: Line[] = []

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (level === 'TRACE' || level === 'DEBUG') return
    const nanos: unknown = meta?.[LogTimestamp]
    const at = typeof nanos === 'bigint' ? Number(nanos / 1_000_000n) : Date.now()
    const line = { seq: ++this.seq, at, text: format(at, level, message, meta) }
    const workflowId = typeof meta?.workflowId === 'string' ? meta.workflowId : undefined
    if (!workflowId) return push(this.general, line)
    let buffer = this.byWorkflow.get(workflowId)
    if (!buffer) this.byWorkflow.set(workflowId, (buffer = []))
    push(buffer, line)
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta)
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta)
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta)
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta)
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta)
  }

  /** A mark to pass to `report` later: what is logged from now on belongs to the caller. */
  mark(): number {
    return this.seq
  }

  /**
   * The log of everything since `since`: each workflow that logged since then with all its
   * lines (also older ones), then the other lines since then. Empty when nothing was logged.
   */
  report(since: number): string {
    const sections: string[] = []
    for (const [workflowId, lines] of this.byWorkflow) {
      if (!lines.some((l) => l.seq > since)) continue
      sections.push(`── workflow ${workflowId} ──`, ...chronological(lines))
    }
    const general = this.general.filter((l) => l.seq > since)
    if (general.length) sections.push('── worker ──', ...chronological(general))
    return sections.join('\n')
  }
}

/** The one logger of this test process (a test file runs in its own process). */
export const testLog = new BufferedTestLogger()
