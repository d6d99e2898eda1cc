// The access log (GET /audit): who read or changed what, when, from where (SEC-03).
import { Button, Card, Form, Input, Table } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api, type Problem } from '../../api'
import { beijing } from '../../countdown'
import { useI18n, word } from '../../i18n'
import { useWords } from '../../words'
import { ProblemAlert } from '../../problem'

type Entry = {
  at: string
  userId: string
  role: string
  method: string
  route: string
  caseId: string | null
  status: number
  ip: string
  requestId: string
}

export function AuditPage() {
  const { t, locale } = useI18n()
  const w = useWords()
  const [query, setQuery] = useState<{ caseId?: string; userId?: string }>({})
  const [entries, setEntries] = useState<Entry[] | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)

  const load = useCallback(async () => {
    const { data, error } = await api.GET('/audit', { params: { query: { ...query, limit: 200 } } })
    if (error) setProblem(error as Problem)
    else setEntries((data?.entries as Entry[]) ?? [])
  }, [query])
  useEffect(() => {
    document.title = `${w.ops.audit} · ${t.app.title}`
    void load()
  }, [load, w, t])

  return (
    <Card title={w.ops.audit}>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <Form
        layout="inline"
        style={{ marginBottom: 12 }}
        onFinish={(v: { caseId?: string; userId?: string }) =>
          setQuery(Object.fromEntries(Object.entries(v).filter(([, x]) => x)))
        }
      >
        <Form.Item name="caseId" label={w.ops.caseId}>
          <Input aria-label={w.ops.caseId} />
        </Form.Item>
        <Form.Item name="userId" label={w.ops.who}>
          <Input aria-label={w.ops.who} />
        </Form.Item>
        <Button htmlType="submit" type="primary">
          {w.lists.filter}
        </Button>
      </Form>
      <Table<Entry>
        rowKey={(e) => `${e.requestId}:${e.at}`}
        size="small"
        scroll={{ x: true }}
        loading={entries === null && !problem}
        dataSource={entries ?? []}
        columns={[
          { title: w.ops.when, dataIndex: 'at', render: (v: string) => beijing(v, locale) },
          {
            title: w.ops.who,
            dataIndex: 'userId',
            render: (v: string, e) => `${v}（${word(t.role, e.role)}）`,
          },
          {
            title: w.ops.what,
            key: 'what',
            render: (_: unknown, e) => `${e.method} ${e.route} → ${e.status}`,
          },
          { title: w.ops.caseId, dataIndex: 'caseId' },
          { title: w.ops.from, dataIndex: 'ip' },
        ]}
      />
    </Card>
  )
}
