// What every case page shows the same way: the steps waiting for me (GET /tasks), the link to
// the case's workflow in the Temporal UI, and the record of steps taken (who, role, when).
import { Card, Empty, Space, Timeline } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api } from './api'
import type { Me } from './app'
import { beijing } from './countdown'
import { word as shared } from '../../domain/i18n'
import { useI18n, word } from './i18n'
import { StepCard } from './step-card'
import { useWords } from './words'

/** The actions the API lists for me on this case. */
export function useCaseActions(caseId: string) {
  const [actions, setActions] = useState<string[]>([])
  const load = useCallback(async () => {
    const { data } = await api.GET('/tasks', { params: { query: { limit: 500 } } })
    setActions((data?.items ?? []).filter((task) => task.caseId === caseId).map((task) => task.action))
  }, [caseId])
  return { actions, loadActions: load }
}

/** Reloads every 10 s (the read model follows the workflow) and once at once. */
export function usePolling(load: () => Promise<void>) {
  useEffect(() => {
    void load()
    const timer = window.setInterval(() => void load(), 10_000)
    return () => window.clearInterval(timer)
  }, [load])
}

export function TemporalLink({ me, caseId }: { me: Me; caseId: string }) {
  const w = useWords()
  if (!me.temporalUi) return null
  return (
    <a
      href={`${me.temporalUi}${encodeURIComponent(caseId)}`}
      target="_blank"
      rel="noreferrer"
      data-testid="temporal-link"
    >
      {w.caseCommon.temporal} ↗
    </a>
  )
}

export function ActionsCard(props: {
  prefix: string
  caseId: string
  actions: string[]
  onDone: () => Promise<void>
}) {
  const w = useWords()
  return (
    <Card title={w.caseCommon.actions}>
      {props.actions.length === 0 ? (
        <Empty description={w.caseCommon.noActions} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {props.actions.map((action) => (
            <StepCard
              key={action}
              prefix={props.prefix}
              caseId={props.caseId}
              action={action}
              onDone={props.onDone}
            />
          ))}
        </Space>
      )}
    </Card>
  )
}

type Done = { at: string; by: { userId: string; role: string } }
const isDone = (v: unknown): v is Done =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Done).at === 'string' &&
  typeof (v as Done).by === 'object' &&
  typeof (v as Done).by?.userId === 'string'

/**
 * Every step the case records as done (`{at, by}` anywhere in its view), oldest first. `stepOf`
 * names the step a field of the view records (`acceptance` → `accept`), for its word.
 */
export function DoneRecord({
  view,
  stepOf = {},
}: {
  view: Record<string, unknown>
  stepOf?: Record<string, string>
}) {
  const { t, locale } = useI18n()
  const entries: { at: string; key: string; done: Done }[] = []
  const walk = (value: unknown, key: string, depth: number) => {
    if (depth > 4 || value === null || typeof value !== 'object') return
    if (isDone(value)) entries.push({ at: value.at, key, done: value })
    for (const [k, v] of Object.entries(value)) walk(v, Array.isArray(value) ? key : k, depth + 1)
  }
  for (const [key, value] of Object.entries(view)) if (key !== 'intake') walk(value, key, 0)
  entries.sort((a, b) => a.at.localeCompare(b.at))
  return (
    <Timeline
      data-testid="timeline"
      items={entries.map((e) => ({
        children: (
          <>
            <b>{shared(locale, 'action', stepOf[e.key] ?? e.key)}</b> · {e.done.by.userId}（
            {word(t.role, e.done.by.role)}）· {beijing(e.at, locale)}
          </>
        ),
      }))}
    />
  )
}
