// What management reads. `#/reports/monthly/YYYY-MM` (where the monthly summary notice links):
// a month's statistics (SV-02) for all units or one, by category, unit, model and severity, the
// clocks met, the complaints, the month's indicators, and its CSV / XLSX downloads.
// `#/reports/indicators`: the GB/T 27922 indicators (SV-05) for any period and unit. Every figure
// and formula is the API's (GET /reports/monthly, GET /reports/indicators); a bad month, period or
// unit is the API's 400, shown as it says.
import { Button, Card, Col, Descriptions, Form, Input, Row, Select, Space, Statistic, Table, Tag } from 'antd'
import { useState } from 'react'
import { api, type components } from '../api'
import { beijing } from '../countdown'
import { useI18n, word } from '../i18n'
import { ProblemAlert } from '../problem'
import { go } from '../router'
import { useWords, type Words } from '../words'
import { CountTable, fill, percent, say, useLoad } from './service-parts'

type Indicators = components['schemas']['Indicators']
type Monthly = components['schemas']['MonthlyStatistics']
type IndicatorReport = components['schemas']['IndicatorReport']

/** This month's and last month's `YYYY-MM` in Beijing time (the policy's zone). */
export function beijingMonth(offset = 0): string {
  const [y, m] = new Date()
    .toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    .split('-')
    .map(Number) as [number, number]
  const d = new Date(Date.UTC(y, m - 1 + offset, 1))
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

const query = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1]))).toString()

/** CSV and XLSX downloads of the same report (the API sends them; the session cookie signs them). */
function Downloads({
  path,
  params,
  w,
}: {
  path: string
  params: Record<string, string | undefined>
  w: Words
}) {
  return (
    <Space>
      {(['xlsx', 'csv'] as const).map((format) => (
        <a
          key={format}
          href={`${path}?${query({ ...params, format })}`}
          download
          data-testid={`download-${format}`}
          className="ant-btn ant-btn-default ant-btn-sm"
          style={{ padding: '0 8px' }}
        >
          {w.service.monthly.download} {format.toUpperCase()}
        </a>
      ))}
    </Space>
  )
}

/** The eight GB/T 27922 indicators: value, what was counted, the satisfaction target. */
export function IndicatorTable({ indicators, testId }: { indicators: Indicators; testId: string }) {
  const w = useWords()
  const s = w.service.indicators
  // The API's indicators, in the order the catalogue names them (any it adds, after them).
  const order = Object.keys(s.names)
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length)
  const names = (Object.keys(indicators) as (keyof Indicators)[]).sort((a, b) => rank(a) - rank(b))
  const rows = names.map((name) => {
    const figure = indicators[name] as Indicators[keyof Indicators]
    if ('count' in figure)
      return {
        name,
        value: figure.value === null ? s.noData : fill(s.hours, { n: figure.value.toFixed(1) }),
        counted: `${figure.count}`,
        note: null as string | null,
        meets: null as boolean | null,
      }
    const target = 'target' in figure ? figure.target : null
    return {
      name,
      value: figure.value === null ? s.noData : percent(figure.value),
      counted: `${figure.numerator} / ${figure.denominator}`,
      note: target === null ? null : fill(s.target, { n: percent(target) }),
      meets: 'meetsTarget' in figure ? figure.meetsTarget : null,
    }
  })
  return (
    <Table
      size="small"
      bordered
      pagination={false}
      rowKey="name"
      dataSource={rows}
      data-testid={testId}
      onRow={(row) => ({ 'data-testid': `indicator-${row.name}` }) as object}
      columns={[
        { title: s.indicator, dataIndex: 'name', render: (name: string) => say(s.names, name) },
        {
          title: s.value,
          dataIndex: 'value',
          align: 'right',
          render: (value: string, row) => (
            <Space size={4}>
              <strong>{value}</strong>
              {row.meets === null ? null : (
                <Tag color={row.meets ? 'green' : 'red'}>{row.meets ? s.meets : s.below}</Tag>
              )}
            </Space>
          ),
        },
        { title: s.counted, dataIndex: 'counted', align: 'right' },
        { title: '', dataIndex: 'note', render: (v: string | null) => v ?? '' },
      ]}
    />
  )
}

export function MonthlyReportPage({ month, unit }: { month: string; unit?: string }) {
  const { t, locale } = useI18n()
  const w = useWords()
  const m = w.service.monthly
  const report = useLoad(
    () => api.GET('/reports/monthly', { params: { query: { month, ...(unit ? { unit } : {}) } } }),
    [month, unit],
  )
  // Units to choose from: those the all-units report counted.
  const all = useLoad(() => api.GET('/reports/monthly', { params: { query: { month } } }), [month])
  const data = report.data as Monthly | undefined
  const units = Object.keys((all.data as Monthly | undefined)?.serviceRequests.byUnit ?? {})
  const open = (next: { month?: string; unit?: string | undefined }) => {
    const target = next.month ?? month
    const u = 'unit' in next ? next.unit : unit
    go(`reports/monthly/${target}${u ? `?unit=${encodeURIComponent(u)}` : ''}`)
  }
  const labels = { item: m.item, count: m.count, share: m.share }
  const sr = data?.serviceRequests
  const cp = data?.complaints

  return (
    <Card
      title={<span data-testid="monthly-title">{fill(m.title, { month })}</span>}
      extra={<Downloads path="/reports/monthly" params={{ month, unit }} w={w} />}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input
          type="month"
          aria-label={m.month}
          value={month}
          data-testid="report-month"
          onChange={(e) => e.target.value && open({ month: e.target.value })}
          style={{ width: 180 }}
        />
        <Select
          allowClear
          aria-label={m.unit}
          placeholder={m.allUnits}
          style={{ minWidth: 200 }}
          value={unit}
          onChange={(u: string | undefined) => open({ unit: u })}
          options={units.map((u) => ({ value: u, label: u }))}
          data-testid="report-unit"
        />
      </Space>
      {report.problem ? <ProblemAlert problem={report.problem} /> : null}
      {data && sr && cp ? (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={m.period}>
              {beijing(data.from, locale)} – {beijing(data.to, locale)}
            </Descriptions.Item>
          </Descriptions>
          <Row gutter={[16, 16]}>
            {(
              [
                [`${m.serviceRequests} · ${m.received}`, sr.total, 'sr-total'],
                [`${m.serviceRequests} · ${m.closed}`, sr.closed, 'sr-closed'],
                [`${m.complaints} · ${m.received}`, cp.total, 'cp-total'],
                [`${m.complaints} · ${m.closed}`, cp.closed, 'cp-closed'],
              ] as const
            ).map(([title, value, id]) => (
              <Col xs={12} md={6} key={id}>
                <Card size="small">
                  <div data-testid={id}>
                    <Statistic title={title} value={value} />
                  </div>
                </Card>
              </Col>
            ))}
          </Row>
          {sr.total === 0 && cp.total === 0 ? <Tag data-testid="report-empty">{m.empty}</Tag> : null}
          <Row gutter={[16, 16]}>
            <Col xs={24} md={12}>
              <CountTable
                title={m.byCategory}
                counts={sr.byCategory}
                total={sr.total}
                words={w.service.vocab.category}
                labels={labels}
                testId="by-category"
              />
            </Col>
            <Col xs={24} md={12}>
              <CountTable
                title={m.bySeverity}
                counts={sr.bySeverity}
                total={sr.total}
                words={{ ...t.severity, unrecorded: w.service.vocab.category.unrecorded! }}
                labels={labels}
                testId="by-severity"
              />
            </Col>
            <Col xs={24} md={12}>
              <CountTable
                title={m.byUnit}
                counts={sr.byUnit}
                total={sr.total}
                labels={labels}
                testId="by-unit"
              />
            </Col>
            <Col xs={24} md={12}>
              <CountTable
                title={m.byModel}
                counts={sr.byModel}
                total={sr.total}
                labels={labels}
                testId="by-model"
              />
            </Col>
            <Col xs={24} md={12}>
              <CountTable
                title={m.productQuality}
                counts={sr.productQualityByModel}
                total={sr.total}
                labels={labels}
                testId="product-quality"
              />
            </Col>
            <Col xs={24} md={12}>
              <Table
                size="small"
                bordered
                pagination={false}
                title={() => <strong>{m.sla}</strong>}
                rowKey="clock"
                data-testid="sla"
                dataSource={Object.entries(data.sla).map(([clock, r]) => ({ clock, ...r }))}
                columns={[
                  { title: m.clock, dataIndex: 'clock', render: (c: string) => word(t.clock, c) },
                  { title: m.met, dataIndex: 'met', align: 'right' },
                  { title: m.breached, dataIndex: 'breached', align: 'right' },
                  { title: m.open, dataIndex: 'open', align: 'right' },
                  {
                    title: m.compliance,
                    dataIndex: 'compliance',
                    align: 'right',
                    render: (v: number | null) => percent(v),
                  },
                ]}
              />
            </Col>
            <Col xs={24} md={12}>
              <CountTable
                title={`${m.complaints} · ${m.byKind}`}
                counts={cp.byKind}
                total={cp.total}
                words={w.service.vocab.complaintKind}
                labels={labels}
                testId="complaints-by-kind"
              />
            </Col>
            <Col xs={24} md={12}>
              <CountTable
                title={`${m.complaints} · ${m.byOutcome}`}
                counts={cp.byOutcome}
                total={cp.total}
                words={w.service.vocab.outcome}
                labels={labels}
                testId="complaints-by-outcome"
              />
            </Col>
          </Row>
          <Card size="small" title={m.indicators}>
            <IndicatorTable indicators={data.indicators} testId="monthly-indicators" />
          </Card>
        </Space>
      ) : null}
    </Card>
  )
}

/** `#/reports/indicators?from=…&to=…&unit=…`: the indicators of a period (this month so far by default). */
export function IndicatorsPage({ from, to, unit }: { from?: string; to?: string; unit?: string }) {
  const w = useWords()
  const s = w.service.indicators
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
  const period = { from: from ?? `${beijingMonth()}-01`, to: to ?? today }
  const report = useLoad(
    () =>
      api.GET('/reports/indicators', {
        params: { query: { ...period, ...(unit ? { unit } : {}) } },
      }),
    [period.from, period.to, unit],
  )
  const data = report.data as IndicatorReport | undefined
  const [form] = Form.useForm()
  const [shown] = useState(() => ({ ...period, unit }))

  return (
    <Card
      title={<span data-testid="indicators-title">{s.title}</span>}
      extra={<Downloads path="/reports/indicators" params={{ ...period, unit }} w={w} />}
    >
      <Form
        form={form}
        layout="inline"
        initialValues={shown}
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v: { from?: string; to?: string; unit?: string }) =>
          go(`reports/indicators?${query({ from: v.from, to: v.to, unit: v.unit?.trim() || undefined })}`)
        }
      >
        <Form.Item name="from" label={s.from}>
          <Input type="date" data-testid="indicators-from" />
        </Form.Item>
        <Form.Item name="to" label={s.to}>
          <Input type="date" data-testid="indicators-to" />
        </Form.Item>
        <Form.Item name="unit" label={w.service.monthly.unit}>
          <Input placeholder={w.service.monthly.allUnits} data-testid="indicators-unit" />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="indicators-show">
          {s.show}
        </Button>
      </Form>
      {report.problem ? <ProblemAlert problem={report.problem} /> : null}
      {data ? <IndicatorTable indicators={data.indicators} testId="indicators" /> : null}
    </Card>
  )
}
