// What the pages of callbacks, reports, quality issues and surveys share: filling a catalogue
// phrase, rates as percentages, loading from the API with its refusal kept to show, and a table
// of counts by code. Nothing here decides anything: the figures are the API's.
import { Table } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import type { Problem } from '../api'
import type { Me } from '../app'
import { routeRoles } from '../openapi'

/** A catalogue phrase with its `{name}` parameters filled in. */
export const fill = (phrase: string, params: Record<string, string | number>) =>
  phrase.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  )

/** A rate from the API (0–1) as a percentage with one decimal; — when nothing was counted. */
export const percent = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`

/**
 * For an antd Rate: its stars are radios, so the list is a radio group, which may be required (a
 * required form item marks it aria-required; on a list without a role axe-core calls that a
 * critical violation). Rate's props do not name `role`; it passes it to its list.
 */
export const radioGroup = { role: 'radiogroup' } as object

/** A code in the reader's words, or the code itself. */
export const say = (table: Record<string, string>, code: string) => table[code] ?? code

type Answer<T> = { data?: T; error?: unknown }

/**
 * Loads what a page shows; `problem` is the API's refusal (403, 404, 400…) to show in its place.
 * `reload` loads it again (after a step).
 */
export function useLoad<T>(load: () => Promise<Answer<T>>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined)
  const [problem, setProblem] = useState<Problem | null>(null)
  const run = useCallback(load, deps)
  const reload = useCallback(async () => {
    const answer = await run()
    if (answer.error) {
      setProblem(answer.error as Problem)
      setData(undefined)
    } else {
      setProblem(null)
      setData(answer.data)
    }
  }, [run])
  useEffect(() => {
    setData(undefined)
    setProblem(null)
    void reload()
  }, [reload])
  return { data, problem, reload }
}

/** Counts by code (category, unit, model…), largest first, with their share of `total`. */
export function CountTable(props: {
  title: string
  counts: Record<string, number>
  total: number
  words?: Record<string, string>
  labels: { item: string; count: string; share: string }
  testId: string
}) {
  const rows = Object.entries(props.counts)
    .sort(([, a], [, b]) => b - a)
    .map(([code, count]) => ({ code, count }))
  return (
    <Table
      size="small"
      bordered
      pagination={false}
      title={() => <strong>{props.title}</strong>}
      rowKey="code"
      dataSource={rows}
      data-testid={props.testId}
      columns={[
        {
          title: props.labels.item,
          dataIndex: 'code',
          render: (code: string) => (props.words ? say(props.words, code) : code),
        },
        { title: props.labels.count, dataIndex: 'count', align: 'right' },
        {
          title: props.labels.share,
          key: 'share',
          align: 'right',
          render: (_: unknown, row) => percent(props.total ? row.count / props.total : null),
        },
      ]}
    />
  )
}

/**
 * Whether my roles are among those the API lets call a route (its `x-roles` in /openapi.json):
 * a step is offered only to whom the API would let take it.
 */
export function useMayCall(method: 'get' | 'post' | 'patch', path: string, me: Me): boolean {
  const [may, setMay] = useState(false)
  useEffect(() => {
    let live = true
    void routeRoles(method, path).then((roles) => {
      if (live)
        setMay(Array.isArray(roles) ? me.roles.some((r) => roles.includes(r)) : roles === 'authenticated')
    })
    return () => {
      live = false
    }
  }, [method, path, me])
  return may
}
