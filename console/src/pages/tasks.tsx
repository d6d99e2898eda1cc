// My tasks: the open actions the API lists for me (most urgent first), a live countdown to each
// deadline, overdue marked, and their count in the page title.
import { Button, Card, Table, Tag } from 'antd'
import { useEffect, useState } from 'react'
import { api } from '../api'
import { beijing, Countdown } from '../countdown'
import { useI18n, word } from '../i18n'
import { go } from '../router'

type Task = { caseId: string; caseType: string; action: string; deadline: string | null; overdue: boolean }

export function TasksPage() {
  const { t, locale } = useI18n()
  const [tasks, setTasks] = useState<Task[] | null>(null)

  useEffect(() => {
    let live = true
    const load = async () => {
      const { data } = await api.GET('/tasks', { params: { query: { limit: 100 } } })
      if (live && data) setTasks(data.items)
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
    if (task.caseType === 'serviceRequest') go(`service-requests/${task.caseId}`)
  }

  return (
    <Card title={`${t.tasks.title}（${tasks?.length ?? 0}）`}>
      <Table<Task>
        rowKey={(task) => `${task.caseId}:${task.action}`}
        loading={tasks === null}
        dataSource={tasks ?? []}
        pagination={false}
        size="middle"
        scroll={{ x: true }}
        locale={{ emptyText: t.tasks.empty }}
        onRow={(task) => ({ 'data-testid': `task-${task.caseId}`, 'data-action': task.action }) as object}
        columns={[
          {
            title: t.tasks.case,
            dataIndex: 'caseId',
            render: (caseId: string, task) =>
              task.caseType === 'serviceRequest' ? (
                <a href={`#/service-requests/${caseId}`}>{caseId}</a>
              ) : (
                caseId
              ),
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
              task.caseType === 'serviceRequest' ? (
                <Button size="small" onClick={() => open(task)}>
                  {t.tasks.open}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  )
}
