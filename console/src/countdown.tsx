// A live countdown to a deadline, ticking every second; overdue shown in red.
import { Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { formatDuration, useI18n } from './i18n'

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs)
    return () => window.clearInterval(timer)
  }, [intervalMs])
  return now
}

export function Countdown({ deadline }: { deadline: string | null | undefined }) {
  const { t } = useI18n()
  const now = useNow()
  if (!deadline) return <Typography.Text type="secondary">{t.tasks.noDeadline}</Typography.Text>
  const left = Date.parse(deadline) - now
  if (left <= 0) {
    return (
      <span data-testid="countdown" data-overdue="true" style={{ whiteSpace: 'nowrap' }}>
        <Tag color="red">{t.tasks.overdue}</Tag>
        <Typography.Text type="danger">
          {formatDuration(left, t)} {t.time.ago}
        </Typography.Text>
      </span>
    )
  }
  return (
    <Typography.Text
      data-testid="countdown"
      data-overdue="false"
      style={{ whiteSpace: 'nowrap' }}
      type={left < 15 * 60_000 ? 'warning' : undefined}
    >
      {formatDuration(left, t)} {t.time.left}
    </Typography.Text>
  )
}

// One formatter per language: toLocaleString builds a new one on every call, and a task list
// formats a deadline per row on every render.
const formatters = new Map<string, Intl.DateTimeFormat>()
const beijingFormat = (locale: string) => {
  let format = formatters.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone: 'Asia/Shanghai',
      hour12: false,
      // What toLocaleString shows by default.
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(locale, format)
  }
  return format
}

/** Deadlines in Beijing time, as the organisation reads them. */
export const beijing = (iso: string | null | undefined, locale: string) =>
  iso ? beijingFormat(locale).format(new Date(iso)) + (locale === 'en' ? ' (Beijing)' : '') : '—'
