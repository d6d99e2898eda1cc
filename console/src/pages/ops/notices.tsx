// Operators: notices and each recipient's delivery (GET /notifications, its own filters), and a
// retry for what did not arrive (POST /notifications/{key}/retry).
import { Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api, send, type Problem } from '../../api'
import { beijing } from '../../countdown'
import { useI18n } from '../../i18n'
import { choiceLabel, fieldLabel } from '../../labels'
import { listFilters, nonNull, type JsonSchema } from '../../openapi'
import { useWords } from '../../words'
import { ProblemAlert } from '../../problem'

type Notice = NonNullable<Awaited<ReturnType<typeof loadNotices>>['data']>['items'][number]
const loadNotices = (query: Record<string, string>, offset: number) =>
  api.GET('/notifications', { params: { query: { ...query, limit: 20, offset } as never } })
const colour: Record<string, string> = {
  delivered: 'green',
  dead: 'red',
  retrying: 'orange',
  undeliverable: 'volcano',
}

export function NoticesPage() {
  const { locale, t } = useI18n()
  const w = useWords()
  const [filters, setFilters] = useState<{ name: string; schema: JsonSchema }[]>([])
  const [query, setQuery] = useState<Record<string, string>>({})
  const [page, setPage] = useState(1)
  const [result, setResult] = useState<{ total: number; items: Notice[] } | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)

  const load = useCallback(async () => {
    const { data, error } = await loadNotices(query, (page - 1) * 20)
    if (error) setProblem(error as Problem)
    else setResult(data ?? null)
  }, [query, page])
  useEffect(() => {
    document.title = `${w.ops.notices} · ${t.app.title}`
    void listFilters('/notifications').then(setFilters)
  }, [w, t])
  useEffect(() => {
    void load()
  }, [load])

  const retry = async (key: string) => {
    const { error } = await send('POST', `/notifications/${encodeURIComponent(key)}/retry`)
    setProblem(error ?? null)
    await load()
  }

  return (
    <Card title={w.ops.notices}>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <Form
        layout="inline"
        style={{ marginBottom: 12 }}
        onFinish={(v: Record<string, string | undefined>) => {
          setPage(1)
          setQuery(Object.fromEntries(Object.entries(v).filter(([, x]) => x)) as Record<string, string>)
        }}
      >
        {filters.map((f) => (
          <Form.Item key={f.name} name={f.name} label={w.filterLabels[f.name] ?? fieldLabel(locale, f.name)}>
            {nonNull(f.schema).enum ? (
              <Select
                allowClear
                style={{ minWidth: 130 }}
                aria-label={f.name}
                options={nonNull(f.schema).enum!.map((v) => ({
                  value: String(v),
                  label: choiceLabel(locale, f.name, String(v)),
                }))}
              />
            ) : (
              <Input aria-label={f.name} />
            )}
          </Form.Item>
        ))}
        <Button htmlType="submit" type="primary">
          {w.lists.filter}
        </Button>
      </Form>
      <Table<Notice>
        rowKey="key"
        size="small"
        scroll={{ x: true }}
        loading={result === null && !problem}
        dataSource={result?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: result?.total ?? 0, onChange: setPage }}
        onRow={(n) => ({ 'data-testid': `notice-${n.key}` }) as object}
        columns={[
          {
            title: w.ops.caseId,
            dataIndex: 'caseId',
            render: (v: string) => <a href={`/cases/${v}`}>{v}</a>,
          },
          { title: w.ops.what, dataIndex: 'template' },
          { title: w.ops.when, dataIndex: 'createdAt', render: (v: string) => beijing(v, locale) },
          {
            title: w.ops.outcome,
            key: 'deliveries',
            render: (_: unknown, n) => (
              <Space direction="vertical" size={2}>
                {n.deliveries.map((d) => (
                  <span key={d.id}>
                    <Tag color={colour[d.status]}>{choiceLabel(locale, 'status', d.status)}</Tag>
                    {choiceLabel(locale, 'channel', d.channel)} · {d.address ?? '—'} · {w.ops.attempts}{' '}
                    {d.attempts}
                    {d.lastError ? ` · ${d.lastError}` : ''}
                  </span>
                ))}
              </Space>
            ),
          },
          {
            title: '',
            key: 'retry',
            render: (_: unknown, n) =>
              n.deliveries.some((d) => d.status === 'dead' || d.status === 'undeliverable') ? (
                <Button size="small" danger onClick={() => void retry(n.key)} data-testid={`retry-${n.key}`}>
                  {w.ops.retry}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  )
}
