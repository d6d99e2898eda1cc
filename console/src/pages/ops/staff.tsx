// The staff directory (GET /staff), as operators keep it.
import { Card, Table, Tag } from 'antd'
import { useEffect, useState } from 'react'
import { send, type Problem } from '../../api'
import { useI18n, word } from '../../i18n'
import { useWords } from '../../words'
import { ProblemAlert } from '../../problem'

type Person = { userId: string; name: string; roles: string[]; unitId: string | null; active: boolean }

export function StaffPage() {
  const { t } = useI18n()
  const w = useWords()
  const [page, setPage] = useState(1)
  const [result, setResult] = useState<{ total: number; items: Person[] } | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)

  useEffect(() => {
    document.title = `${w.ops.staff} · ${t.app.title}`
    void send('GET', `/staff?limit=50&offset=${(page - 1) * 50}`).then(({ data, error }) => {
      if (error) setProblem(error)
      else setResult(data as { total: number; items: Person[] })
    })
  }, [page, w, t])

  return (
    <Card title={w.ops.staff}>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <Table<Person>
        rowKey="userId"
        size="small"
        scroll={{ x: true }}
        loading={result === null && !problem}
        dataSource={result?.items ?? []}
        pagination={{ current: page, pageSize: 50, total: result?.total ?? 0, onChange: setPage }}
        columns={[
          { title: 'ID', dataIndex: 'userId' },
          { title: w.ops.name, dataIndex: 'name' },
          { title: w.ops.unit, dataIndex: 'unitId' },
          {
            title: w.ops.roles,
            dataIndex: 'roles',
            render: (roles: string[]) => roles.map((r) => <Tag key={r}>{word(t.role, r)}</Tag>),
          },
          { title: w.ops.active, dataIndex: 'active', render: (v: boolean) => (v ? '✓' : '—') },
        ]}
      />
    </Card>
  )
}
