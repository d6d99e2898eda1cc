// Service requests, complaints or returns: the API's list with its own filters (read from
// /openapi.json) and paging, and a search by case number (opens the case) or customer (their
// service history). The columns are those the list's rows carry (a return has no severity, but
// what the customer asked for and the product's model).
import { Alert, Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { send } from '../api'
import { beijing } from '../countdown'
import { useI18n, word } from '../i18n'
import { choiceLabel, fieldLabel } from '../labels'
import { listFilters, nonNull, routeRoles, type JsonSchema } from '../openapi'
import { useWords } from '../words'
import { CustomerSearch, openCaseNumber } from './customer-search'

type Row = {
  caseId: string
  status: string
  severity?: string | null
  kind?: string
  /** Returns: refund or exchange. */
  requested?: string
  productModel?: string
  slaBreached?: boolean
  overdue?: boolean
  receivedAt: string
  nextDeadline?: string | null
}

/** `path`: the API's list route (`/service-requests`, `/complaints`, `/returns`); `page`: the console route of a case. */
export function CaseListPage({ path, page, title }: { path: string; page: string; title: string }) {
  const { t, locale } = useI18n()
  const w = useWords()
  const [filters, setFilters] = useState<{ name: string; schema: JsonSchema }[]>([])
  const [query, setQuery] = useState<Record<string, string>>({})
  const [paging, setPaging] = useState({ current: 1, pageSize: 20 })
  const [result, setResult] = useState<{ total: number; items: Row[] } | null>(null)
  const [search, setSearch] = useState<string | null>(null)

  // A case type the API lists (GET <path>); otherwise only the search is offered.
  const [listed, setListed] = useState<boolean | null>(null)
  useEffect(() => {
    void routeRoles('get', path).then((roles) => setListed(roles !== null))
    void listFilters(path).then(setFilters)
    document.title = `${title} · ${t.app.title}`
  }, [path, title, t])

  const load = useCallback(async () => {
    if (!listed) return
    const params = new URLSearchParams({
      ...query,
      limit: String(paging.pageSize),
      offset: String((paging.current - 1) * paging.pageSize),
    })
    const { data } = await send('GET', `${path}?${params}`)
    setResult((data as { total: number; items: Row[] }) ?? { total: 0, items: [] })
  }, [path, query, paging, listed])
  useEffect(() => {
    void load()
  }, [load])

  /** Whether the list's rows carry `field` (the API's list says which columns there are). */
  const has = (field: keyof Row) => (result?.items ?? []).some((row) => row[field] !== undefined)

  const find = (text: string) => {
    const value = text.trim()
    if (!value) return setSearch(null)
    if (!openCaseNumber(value)) setSearch(value)
  }

  return (
    <Card title={title}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.Search
          placeholder={w.lists.search}
          enterButton={w.lists.searchButton}
          allowClear
          onSearch={find}
          data-testid="case-search"
          aria-label={w.lists.search}
        />
        {search ? <CustomerSearch text={search} /> : null}
        {listed === false ? <Alert type="info" showIcon title={w.lists.noList} /> : null}
        <Form
          hidden={!listed}
          layout="inline"
          onFinish={(values: Record<string, unknown>) => {
            setPaging((p) => ({ ...p, current: 1 }))
            setQuery(
              Object.fromEntries(
                Object.entries(values)
                  .filter(([, v]) => v !== undefined && v !== '')
                  .map(([k, v]) => [k, String(v)]),
              ),
            )
          }}
        >
          {filters.map((f) => (
            <Form.Item
              key={f.name}
              name={f.name}
              label={w.filterLabels[f.name] ?? fieldLabel(locale, f.name)}
            >
              <FilterInput schema={f.schema} name={f.name} />
            </Form.Item>
          ))}
          <Button htmlType="submit" type="primary" data-testid="filter">
            {w.lists.filter}
          </Button>
        </Form>
        <Table<Row>
          style={listed ? undefined : { display: 'none' }}
          rowKey="caseId"
          size="middle"
          scroll={{ x: true }}
          loading={result === null}
          dataSource={result?.items ?? []}
          pagination={{
            ...paging,
            total: result?.total ?? 0,
            showTotal: (n) => w.lists.total.replace('{n}', String(n)),
            onChange: (current, pageSize) => setPaging({ current, pageSize }),
          }}
          onRow={(row) => ({ 'data-testid': `row-${row.caseId}` }) as object}
          columns={[
            {
              title: t.tasks.case,
              dataIndex: 'caseId',
              render: (caseId: string) => <a href={`#/${page}/${caseId}`}>{caseId}</a>,
            },
            ...(has('kind') || has('requested')
              ? [
                  {
                    title: fieldLabel(locale, has('kind') ? 'kind' : 'requested'),
                    key: 'kind',
                    render: (_: unknown, row: Row) =>
                      row.kind
                        ? choiceLabel(locale, 'kind', row.kind)
                        : choiceLabel(locale, 'requested', row.requested ?? ''),
                  },
                ]
              : []),
            ...(has('productModel')
              ? [
                  {
                    title: fieldLabel(locale, 'productModel'),
                    dataIndex: 'productModel',
                    responsive: ['md' as const],
                  },
                ]
              : []),
            { title: t.case.status, dataIndex: 'status', render: (v: string) => word(t.status, v) },
            {
              title: has('severity') ? t.case.severity : w.lists.breached,
              key: 'severity',
              render: (_: unknown, row: Row) => (
                <>
                  {row.severity ? <Tag>{choiceLabel(locale, 'severity', row.severity)}</Tag> : null}
                  {row.slaBreached || row.overdue ? <Tag color="red">{w.lists.breached}</Tag> : null}
                </>
              ),
            },
            { title: w.lists.received, dataIndex: 'receivedAt', render: (v: string) => beijing(v, locale) },
            {
              title: w.lists.nextDeadline,
              dataIndex: 'nextDeadline',
              responsive: ['md'],
              render: (v: string | null) => beijing(v, locale),
            },
          ]}
        />
      </Space>
    </Card>
  )
}

/** One filter, as its schema says: a choice for an enum, a date-time, or text. */
function FilterInput({ schema, name, ...rest }: { schema: JsonSchema; name: string }) {
  const { locale } = useI18n()
  const s = nonNull(schema)
  if (s.enum)
    return (
      <Select
        {...rest}
        allowClear
        style={{ minWidth: 140 }}
        aria-label={name}
        data-testid={`filter-${name}`}
        options={s.enum.map((v) => ({
          value: String(v),
          label: choiceLabel(locale, name, String(v)),
        }))}
      />
    )
  return <Input {...rest} aria-label={name} style={{ width: 200 }} data-testid={`filter-${name}`} />
}
