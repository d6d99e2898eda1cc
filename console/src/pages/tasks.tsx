// My tasks: the open actions the API lists for me (most urgent first), a live countdown to each
// deadline, overdue marked, filters by case type, severity and status, and the count (of what
// the filters show) in the page title.
import { Button, Card, Select, Space, Table, Tag } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { api } from '../api'
import { beijing, Countdown } from '../countdown'
import { useI18n, word } from '../i18n'
import { consolePage, go } from '../router'
import { useWords } from '../words'

type Task = {
  caseId: string
  caseType: string
  status?: string | null
  severity?: string | null
  action: string
  deadline: string | null
  overdue: boolean
}
type Filter = 'caseType' | 'severity' | 'status'

const fetchTasks = async () =>
  (await api.GET('/tasks', { params: { query: { limit: 100 } } })).data?.items as Task[] | undefined
let prefetched: Promise<Task[] | undefined> | null = null

/**
 * Opening on the task page (the default): asks for the tasks now, beside the app's GET /me,
 * instead of after it (the page mounts only once /me has answered). Signed out, it answers 401
 * and the sign-in page shows as before.
 */
export function prefetchTasksIfOpening(): void {
  const page = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0]
  if (page === '' || page === 'tasks') prefetched = fetchTasks().catch(() => undefined)
}
/**
 * The console page a task opens: a customer record's (CU-01 refresh, CU-02 proposal: the caseId is
 * the customer id), else the page of its caseId as a notice's link opens it (a case, a key
 * account's callbacks, a quality issue, a month's report).
 */
const pageOf = (task: Pick<Task, 'caseId' | 'caseType'>): string | null =>
  task.caseType === 'customer' ? `customers/${task.caseId}` : consolePage(task.caseId)

export function TasksPage() {
  const { t, locale } = useI18n()
  const w = useWords()
  const [all, setTasks] = useState<Task[] | null>(null)
  const [filter, setFilter] = useState<Partial<Record<Filter, string>>>({})
  const tasks = useMemo(
    () =>
      all?.filter((task) =>
        (Object.entries(filter) as [Filter, string | undefined][]).every(([k, v]) => !v || task[k] === v),
      ) ?? null,
    [all, filter],
  )
  const choices = (key: Filter, words: Record<string, string>) =>
    [...new Set((all ?? []).map((task) => task[key]).filter((v): v is string => Boolean(v)))].map((v) => ({
      value: v,
      label: word(words, v),
    }))

  useEffect(() => {
    let live = true
    const load = async () => {
      // The first load takes the tasks asked for beside GET /me, when there are some.
      const first = prefetched
      prefetched = null
      const items = (first && (await first)) || (await fetchTasks())
      if (live && items) setTasks(items)
    }
    void load()
    const timer = window.setInterval(() => void load(), 15_000)
    return () => {
      live = false
      window.clearInterval(timer)
    }
  }, [])

  useEffect(() => {
    document.title = `(${tasks?.length ?? 0}) ${t.tasks.title} · ${t.app.title}`
  }, [tasks, t])

  const open = (task: Task) => {
    const page = pageOf(task)
    if (page) go(page)
  }

  return (
    <Card
      title={`${t.tasks.title}（${tasks?.length ?? 0}）`}
      extra={
        <Space wrap>
          {(
            [
              ['caseType', w.tasks.caseType, t.caseType],
              ['severity', w.tasks.severity, { ...t.severity, general: 'general', major: 'major' }],
              ['status', w.tasks.status, t.status],
            ] as [Filter, string, Record<string, string>][]
          ).map(([key, label, words]) => (
            <Select
              key={key}
              allowClear
              placeholder={label}
              aria-label={label}
              style={{ minWidth: 120 }}
              data-testid={`task-filter-${key}`}
              value={filter[key]}
              onChange={(v: string | undefined) => setFilter((f) => ({ ...f, [key]: v }))}
              options={choices(key, words)}
            />
          ))}
        </Space>
      }
    >
      <Table<Task>
        rowKey={(task) => `${task.caseId}:${task.action}`}
        loading={tasks === null}
        dataSource={tasks ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        size="middle"
        scroll={{ x: true }}
        locale={{ emptyText: t.tasks.empty }}
        onRow={(task) => ({ 'data-testid': `task-${task.caseId}`, 'data-action': task.action }) as object}
        columns={[
          {
            title: t.tasks.case,
            dataIndex: 'caseId',
            render: (caseId: string, task) => {
              const page = pageOf(task)
              return page ? <a href={`#/${page}`}>{caseId}</a> : caseId
            },
          },
          {
            title: t.tasks.type,
            dataIndex: 'caseType',
            responsive: ['md'],
            render: (v: string) => word(t.caseType, v),
          },
          {
            title: t.tasks.action,
            dataIndex: 'action',
            render: (v: string) => <Tag color="geekblue">{word(t.action, v)}</Tag>,
          },
          {
            title: t.tasks.deadline,
            responsive: ['md'],
            dataIndex: 'deadline',
            render: (v: string | null) => beijing(v, locale),
          },
          {
            title: t.tasks.remaining,
            dataIndex: 'deadline',
            key: 'remaining',
            render: (v: string | null) => <Countdown deadline={v} />,
          },
          {
            title: '',
            key: 'open',
            render: (_: unknown, task) =>
              pageOf(task) ? (
                <Button size="small" onClick={() => open(task)} data-testid={`open-${task.caseId}`}>
                  {t.tasks.open}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  )
}
