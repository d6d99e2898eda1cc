// SV-04 `#/reports/satisfaction/YYYY`: the annual customer satisfaction analysis. The per-item
// satisfaction rates are the API's (from the year's surveys and campaign answers; frozen when
// issued); marketing writes the method, the customers' suggestions, the causes and the
// improvements (saved as a draft any number of times), then issues it, and from then on it reads
// as issued. Who may write and issue is the API's x-roles; what is missing is the API's `missing`.
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import { useEffect, useState } from 'react'
import { api, type components, type Problem } from '../api'
import type { Me } from '../app'
import { beijing } from '../countdown'
import { useI18n } from '../i18n'
import { fieldErrors, ProblemAlert } from '../problem'
import { go } from '../router'
import { useWords } from '../words'
import { fill, percent, say, useLoad, useMayCall } from './service-parts'

type Analysis = components['schemas']['SatisfactionAnalysis']
const sections = ['method', 'suggestions', 'causes', 'improvements'] as const
const statusColour: Record<string, string> = { none: 'default', draft: 'orange', issued: 'green' }

export function SatisfactionPage({ year, me }: { year: string; me: Me }) {
  const { locale } = useI18n()
  const w = useWords()
  const s = w.service.satisfaction
  const analysis = useLoad(
    () => api.GET('/reports/satisfaction/{year}', { params: { path: { year } } }),
    [year],
  )
  const data = analysis.data as Analysis | undefined
  const mayWrite = useMayCall('post', '/reports/satisfaction/{year}/issue', me)
  const [form] = Form.useForm()
  const [problem, setProblem] = useState<Problem | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (data) form.setFieldsValue(data.sections)
  }, [data, form])

  const answer = async (call: Promise<{ error?: unknown }>, done: string | null): Promise<boolean> => {
    setBusy(true)
    setProblem(null)
    setNotice(null)
    const { error } = await call
    setBusy(false)
    if (error) {
      setProblem(error as Problem)
      form.setFields(
        fieldErrors(error as Problem, locale).map((f) => ({
          ...f,
          name: f.name[0] === 'sections' ? f.name.slice(1) : f.name,
        })),
      )
      return false
    }
    setNotice(done)
    await analysis.reload()
    return true
  }
  const draft = () => {
    const values = form.getFieldsValue() as Record<string, string | undefined>
    return Object.fromEntries(sections.map((k) => [k, values[k]?.trim()]).filter(([, v]) => v))
  }
  const save = () =>
    answer(api.PUT('/reports/satisfaction/{year}', { params: { path: { year } }, body: draft() }), s.saved)
  // Issuing saves what is written first, so what is issued is what the reader sees.
  const issue = async () => {
    const body = draft()
    if (!(await answer(api.PUT('/reports/satisfaction/{year}', { params: { path: { year } }, body }), null)))
      return
    await answer(api.POST('/reports/satisfaction/{year}/issue', { params: { path: { year } } }), null)
  }
  const editable = mayWrite && data !== undefined && data.status !== 'issued'
  const rates = data ? Object.entries(data.rates.items).map(([item, r]) => ({ item, ...r })) : []

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={<span data-testid="satisfaction-title">{fill(s.title, { year })}</span>}
        extra={
          <InputNumber
            aria-label={s.year}
            min={2000}
            value={Number(year)}
            data-testid="satisfaction-year"
            onChange={(y) => y && go(`reports/satisfaction/${y}`)}
          />
        }
      >
        {analysis.problem ? <ProblemAlert problem={analysis.problem} /> : null}
        {data ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={s.status}>
                <Tag color={statusColour[data.status]} data-testid="satisfaction-status">
                  {say(s.statuses, data.status)}
                </Tag>
                {data.issuedAt && data.issuedBy
                  ? fill(s.issued, { who: data.issuedBy.userId, at: beijing(data.issuedAt, locale) })
                  : data.updatedAt && data.updatedBy
                    ? fill(s.updated, { who: data.updatedBy.userId, at: beijing(data.updatedAt, locale) })
                    : null}
              </Descriptions.Item>
            </Descriptions>
            <Table
              size="small"
              bordered
              pagination={false}
              rowKey="item"
              data-testid="satisfaction-rates"
              title={() => (
                <>
                  <strong>{s.rates}</strong>
                  {data.status === 'issued' ? ` · ${s.frozen}` : ''}
                  <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                    {fill(s.ratesNote, {
                      surveys: data.rates.surveys,
                      answers: data.rates.campaignAnswers,
                      target: percent(data.target),
                    })}
                  </Typography.Paragraph>
                </>
              )}
              locale={{ emptyText: s.noRates }}
              dataSource={rates}
              columns={[
                { title: s.item, dataIndex: 'item', render: (i: string) => say(w.service.vocab.item, i) },
                { title: s.surveys, dataIndex: 'surveys', align: 'right' },
                { title: s.satisfied, dataIndex: 'satisfied', align: 'right' },
                {
                  title: s.rate,
                  dataIndex: 'rate',
                  align: 'right',
                  render: (v: number | null) =>
                    v === null ? '—' : <Tag color={v >= data.target ? 'green' : 'red'}>{percent(v)}</Tag>,
                },
                {
                  title: s.meanScore,
                  dataIndex: 'meanScore',
                  align: 'right',
                  render: (v: number | null) => (v === null ? '—' : v.toFixed(2)),
                },
              ]}
            />
          </Space>
        ) : null}
      </Card>

      {data ? (
        <Card title={s.sections}>
          {editable ? (
            <Form form={form} layout="vertical" data-testid="satisfaction-form">
              {sections.map((name) => (
                <Form.Item key={name} name={name} label={say(s.sectionNames, name)}>
                  <Input.TextArea rows={4} data-testid={`section-${name}`} />
                </Form.Item>
              ))}
              {data.missing.length ? (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 12 }}
                  data-testid="satisfaction-missing"
                  title={fill(s.missing, {
                    list: data.missing.map((m) => say(s.sectionNames, m)).join('、'),
                  })}
                />
              ) : null}
              {problem ? (
                <div style={{ marginBottom: 12 }}>
                  <ProblemAlert problem={problem} />
                </div>
              ) : null}
              {notice ? <Alert type="success" title={notice} style={{ marginBottom: 12 }} /> : null}
              <Space>
                <Button onClick={() => void save()} loading={busy} data-testid="satisfaction-save">
                  {s.save}
                </Button>
                <Button
                  type="primary"
                  onClick={() => void issue()}
                  loading={busy}
                  data-testid="satisfaction-issue"
                >
                  {s.issue}
                </Button>
              </Space>
            </Form>
          ) : (
            <Descriptions column={1} bordered size="small" data-testid="satisfaction-sections">
              {sections.map((name) => (
                <Descriptions.Item key={name} label={say(s.sectionNames, name)}>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{data.sections[name] ?? '—'}</span>
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
        </Card>
      ) : null}
    </Space>
  )
}
