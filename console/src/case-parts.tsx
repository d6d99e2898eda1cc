// What every case page shows the same way: the steps waiting for me (GET /tasks), the link to
// the case's workflow in the Temporal UI, and the case's record: its decisions (who, role, when,
// what) and notices (to whom, channel, delivered or not) from GET <cases>/{caseId}/timeline.
import { Card, Empty, Space, Tag, Timeline, Typography } from 'antd'
import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { api, type components } from './api'
import type { Me } from './app'
import { beijing } from './countdown'
import { word as shared } from '../../domain/i18n'
import { useI18n, word, type Locale } from './i18n'
import { choiceLabel, fieldLabel } from './labels'
import { StepCard } from './step-card'
import { useWords, type Words } from './words'

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

type TimelineItem = components['schemas']['CaseTimeline']['items'][number]
type Decision = Extract<TimelineItem, { kind: 'decision' }>
type Notice = Extract<TimelineItem, { kind: 'notice' }>
export type CasePrefix = '/service-requests' | '/complaints' | '/returns'

/** Antd timeline dot colours by a notice's delivery status. */
const statusColour: Record<string, string> = {
  delivered: 'green',
  retrying: 'orange',
  delivering: 'blue',
  pending: 'gray',
  scheduled: 'gray',
  dead: 'red',
  undeliverable: 'volcano',
  call_task: 'purple',
}

/** An entry the page adds from the case view (e.g. SLA escalations), placed by time. */
export interface RecordExtra {
  at: string
  node: ReactNode
  colour?: string
}

/**
 * The case's decisions (who, role, when, what) and notices (to whom, channel, delivered or not),
 * interleaved oldest first, from GET <prefix>/{caseId}/timeline. Read again when the case view
 * changes (`stamp`), once more 2 s later (a step's decision and notices are written just after the
 * step is answered), and every 30 s, for delivery outcomes that arrive later.
 */
export function CaseRecord({
  prefix,
  caseId,
  stamp,
  extra = [],
}: {
  prefix: CasePrefix
  caseId: string
  stamp?: string
  extra?: RecordExtra[]
}) {
  const w = useWords()
  const [items, setItems] = useState<TimelineItem[] | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let live = true
    const load = async () => {
      const path = `${prefix}/{caseId}/timeline` as '/service-requests/{caseId}/timeline'
      const { data } = await api.GET(path, { params: { path: { caseId } } })
      if (!live) return
      setFailed(!data)
      if (data) setItems(data.items)
    }
    void load()
    const settled = window.setTimeout(() => void load(), 2_000)
    const timer = window.setInterval(() => void load(), 30_000)
    return () => {
      live = false
      window.clearTimeout(settled)
      window.clearInterval(timer)
    }
  }, [prefix, caseId, stamp])

  const entries: RecordExtra[] = [
    ...(items ?? []).map((item) =>
      item.kind === 'decision'
        ? { at: item.at, node: <DecisionLine item={item} />, colour: 'blue' }
        : { at: item.at, node: <NoticeLine item={item} />, colour: statusColour[item.status] ?? 'gray' },
    ),
    ...extra,
  ].sort((a, b) => a.at.localeCompare(b.at))
  return (
    <Card title={w.timeline.title} data-testid="case-record">
      {failed ? <Typography.Paragraph type="warning">{w.timeline.unavailable}</Typography.Paragraph> : null}
      {items !== null && entries.length === 0 ? (
        <Empty description={w.timeline.empty} />
      ) : (
        <Timeline
          data-testid="timeline"
          items={entries.map((e, n) => ({
            key: `${e.at}:${n}`,
            color: e.colour ?? 'gray',
            children: e.node,
          }))}
        />
      )}
    </Card>
  )
}

/** A decision's action in the reader's language: a step, a workflow decision, or a status. */
function decisionWord(action: string, w: Words, locale: Locale): string {
  const step = shared(locale, 'action', action)
  return w.timeline.decisions[action] ?? (step !== action ? step : choiceLabel(locale, 'status', action))
}

function DecisionLine({ item }: { item: Decision }) {
  const { t, locale } = useI18n()
  const w = useWords()
  const system = item.actor.role === 'system'
  const summary = Object.entries(item.summary).map(([field, value]) =>
    typeof value === 'boolean'
      ? `${fieldLabel(locale, field)}${value ? ' ✓' : ' ✗'}`
      : `${fieldLabel(locale, field)}：${choiceLabel(locale, field, String(value))}`,
  )
  return (
    <span data-testid="timeline-decision">
      <Tag color="blue">{w.timeline.decision}</Tag>
      <b>{decisionWord(item.action, w, locale)}</b> ·{' '}
      {system ? w.timeline.system : `${item.actor.userId}（${word(t.role, item.actor.role)}）`} ·{' '}
      {beijing(item.at, locale)}
      {summary.length ? ` · ${summary.join('，')}` : ''}
    </span>
  )
}

function NoticeLine({ item }: { item: Notice }) {
  const { t, locale } = useI18n()
  const w = useWords()
  const to = [
    ...item.to.roles.map((r) => word(t.role, r)),
    ...item.to.userIds,
    ...(item.to.customer ? [w.timeline.customer] : []),
  ]
  const recipient = (r: string) =>
    r === 'customer'
      ? w.timeline.customer
      : r === 'nobody'
        ? w.timeline.nobody
        : r.startsWith('robot:')
          ? `${w.timeline.robot}（${r.split(':')[1] ?? ''}）`
          : r
  return (
    <div data-testid="timeline-notice">
      <Tag color="purple">{w.timeline.notice}</Tag>
      <b>{item.what[locale] || item.template}</b> · {w.timeline.to}：{to.join('、') || '—'} ·{' '}
      {beijing(item.at, locale)}
      <div>
        {item.deliveries.length === 0 ? (
          <Tag color={statusColour[item.status]}>{choiceLabel(locale, 'status', item.status)}</Tag>
        ) : (
          item.deliveries.map((d, n) => (
            <span
              key={`${d.recipient}:${d.channel}:${n}`}
              data-testid="timeline-delivery"
              style={{ marginRight: 12 }}
            >
              {recipient(d.recipient)}（{choiceLabel(locale, 'channel', d.channel)}）
              <Tag color={statusColour[d.status]} style={{ marginInlineStart: 4 }}>
                {choiceLabel(locale, 'status', d.status)}
              </Tag>
              {d.attempts > 1 ? `${d.attempts} ${w.timeline.attempts}` : ''}
            </span>
          ))
        )}
      </div>
    </div>
  )
}
