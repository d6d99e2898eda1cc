// SV-01 satisfaction survey campaigns. `#/surveys`: the year's campaigns with the policy's count,
// and a new campaign (title, channel, the customers by list or filter) for the roles the API lets
// start one. `#/surveys/SV-YYYY-n`: its customers (and those left out as surveyed recently), the
// answers, per-item results, and each customer's answers recorded item by item. How many campaigns
// a year, who is left out and what an answer needs are the API's: its refusals are shown.
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Radio,
  Rate,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
} from 'antd'
import { useState } from 'react'
import { api, type components, type Problem } from '../api'
import type { Me } from '../app'
import { beijing } from '../countdown'
import { useI18n } from '../i18n'
import { fieldErrors, ProblemAlert } from '../problem'
import { go } from '../router'
import { useWords } from '../words'
import { fill, percent, say, useLoad, useMayCall, radioGroup } from './service-parts'

type Campaign = components['schemas']['Campaign']
type CampaignWithResults = components['schemas']['CampaignWithResults']

export function SurveysPage({ me }: { me: Me }) {
  const { locale } = useI18n()
  const w = useWords()
  const s = w.service.surveys
  const list = useLoad(() => api.GET('/survey-campaigns', { params: { query: {} } }), [])
  const mayCreate = useMayCall('post', '/survey-campaigns', me)
  const data = list.data

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={<span data-testid="surveys-title">{s.title}</span>}
        extra={
          data ? (
            <span data-testid="surveys-quota">
              {fill(s.quota, { year: data.year, n: data.campaignsThisYear, max: data.perYear })}
            </span>
          ) : null
        }
      >
        {list.problem ? <ProblemAlert problem={list.problem} /> : null}
        <Table<Campaign>
          rowKey="id"
          size="small"
          loading={!data && !list.problem}
          dataSource={data?.items ?? []}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: s.empty }}
          data-testid="campaigns"
          columns={[
            { title: s.id, dataIndex: 'id', render: (id: string) => <a href={`#/surveys/${id}`}>{id}</a> },
            { title: s.name, dataIndex: 'title' },
            { title: s.channel, dataIndex: 'channel', render: (c: string) => say(s.channels, c) },
            {
              title: s.participants,
              key: 'n',
              align: 'right',
              render: (_: unknown, c) => c.participants.length,
            },
            { title: s.createdAt, dataIndex: 'createdAt', render: (v: string) => beijing(v, locale) },
            { title: s.createdBy, key: 'by', render: (_: unknown, c) => c.createdBy.userId },
          ]}
        />
      </Card>
      {mayCreate ? <NewCampaign onCreated={(id) => go(`surveys/${id}`)} /> : null}
    </Space>
  )
}

function NewCampaign({ onCreated }: { onCreated: (id: string) => void }) {
  const { locale } = useI18n()
  const w = useWords()
  const s = w.service.surveys
  const [form] = Form.useForm()
  const by = Form.useWatch('by', form) as 'list' | 'filter' | undefined
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  const [key] = useState(() => `campaign-${crypto.randomUUID()}`)

  const submit = async (v: {
    title?: string
    channel?: 'phone' | 'email' | 'fax'
    by?: 'list' | 'filter'
    customerIds?: string[]
    keyAccount?: 'none' | 'proposed' | 'confirmed' | 'declined' | 'ended'
    q?: string
  }) => {
    setBusy(true)
    setProblem(null)
    const selection =
      v.by === 'filter'
        ? {
            by: 'filter' as const,
            ...(v.keyAccount ? { keyAccount: v.keyAccount } : {}),
            ...(v.q?.trim() ? { q: v.q.trim() } : {}),
          }
        : { by: 'list' as const, customerIds: (v.customerIds ?? []).map((id) => id.trim().toUpperCase()) }
    const { data, error } = await api.POST('/survey-campaigns', {
      params: { header: { 'idempotency-key': key } },
      body: { title: v.title?.trim() ?? '', channel: v.channel as 'phone', selection },
    })
    setBusy(false)
    if (data) return onCreated(data.id)
    setProblem(error as Problem)
    form.setFields(
      fieldErrors(error as Problem, locale).map((f) => ({
        ...f,
        name: f.name[0] === 'selection' ? [f.name[1] === 'customerIds' ? 'customerIds' : 'by'] : f.name,
      })),
    )
  }

  return (
    <Card title={s.create} data-testid="new-campaign">
      <Form form={form} layout="vertical" initialValues={{ by: 'list' }} onFinish={(v) => void submit(v)}>
        <Form.Item name="title" label={s.name} required>
          <Input data-testid="campaign-title" maxLength={200} />
        </Form.Item>
        <Form.Item name="channel" label={s.channel} required>
          <Radio.Group data-testid="campaign-channel">
            {Object.entries(s.channels).map(([value, label]) => (
              <Radio key={value} value={value}>
                {label}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="by" label={s.selection} required>
          <Radio.Group>
            <Radio value="list">{s.byList}</Radio>
            <Radio value="filter">{s.byFilter}</Radio>
          </Radio.Group>
        </Form.Item>
        {by === 'filter' ? (
          <Space wrap>
            <Form.Item name="keyAccount" label={s.keyAccount}>
              <Select
                allowClear
                style={{ minWidth: 160 }}
                options={Object.entries(w.service.vocab.keyAccount).map(([value, label]) => ({
                  value,
                  label,
                }))}
              />
            </Form.Item>
            <Form.Item name="q" label={s.q}>
              <Input />
            </Form.Item>
          </Space>
        ) : (
          <Form.Item name="customerIds" label={s.customerIds} extra={s.customerIdsHint}>
            <Select
              mode="tags"
              open={false}
              tokenSeparators={[',', '，', ' ']}
              data-testid="campaign-customers"
            />
          </Form.Item>
        )}
        {problem ? (
          <div style={{ marginBottom: 12 }}>
            <ProblemAlert problem={problem} />
          </div>
        ) : null}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="submit-campaign">
          {s.create}
        </Button>
      </Form>
    </Card>
  )
}

export function SurveyPage({ campaignId, me }: { campaignId: string; me: Me }) {
  const { locale } = useI18n()
  const w = useWords()
  const s = w.service.surveys
  const campaign = useLoad(
    () => api.GET('/survey-campaigns/{campaignId}', { params: { path: { campaignId } } }),
    [campaignId],
  )
  const mayAnswer = useMayCall('post', '/survey-campaigns/{campaignId}/responses/{customerId}', me)
  const [answering, setAnswering] = useState<string | null>(null)
  const data = campaign.data as CampaignWithResults | undefined
  const answered = new Map((data?.responses ?? []).map((r) => [r.customerId, r]))

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={<span data-testid="survey-title">{data ? `${data.id} · ${data.title}` : campaignId}</span>}
      >
        {campaign.problem ? <ProblemAlert problem={campaign.problem} /> : null}
        {data ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
              <Descriptions.Item label={s.channel}>{say(s.channels, data.channel)}</Descriptions.Item>
              <Descriptions.Item label={s.createdAt}>{beijing(data.createdAt, locale)}</Descriptions.Item>
              <Descriptions.Item label={s.createdBy}>{data.createdBy.userId}</Descriptions.Item>
              <Descriptions.Item label={s.items} span={3}>
                {data.items.map((i) => say(w.service.vocab.item, i)).join('、')}
              </Descriptions.Item>
            </Descriptions>
            <Row gutter={[16, 16]}>
              <Col xs={12} md={8}>
                <Statistic
                  title={s.responses}
                  value={`${data.results.responses} / ${data.results.participants}`}
                />
              </Col>
              <Col xs={12} md={8}>
                <Statistic title={s.responseRate} value={percent(data.results.responseRate)} />
              </Col>
              <Col xs={12} md={8}>
                <div data-testid="survey-satisfaction">
                  <Statistic title={s.satisfaction} value={percent(data.results.satisfaction)} />
                </div>
              </Col>
            </Row>
            <Table
              size="small"
              bordered
              pagination={false}
              rowKey="item"
              data-testid="survey-results"
              dataSource={data.results.items}
              columns={[
                { title: s.items, dataIndex: 'item', render: (i: string) => say(w.service.vocab.item, i) },
                { title: s.answers, dataIndex: 'answers', align: 'right' },
                {
                  title: s.meanScore,
                  dataIndex: 'meanScore',
                  align: 'right',
                  render: (v: number | null) => (v === null ? '—' : v.toFixed(2)),
                },
                {
                  title: s.rate,
                  dataIndex: 'satisfactionRate',
                  align: 'right',
                  render: (v: number | null) => percent(v),
                },
              ]}
            />
          </Space>
        ) : null}
      </Card>

      {data ? (
        <Card title={s.participants}>
          <Table
            rowKey="customerId"
            size="small"
            pagination={false}
            dataSource={data.participants}
            data-testid="survey-participants"
            onRow={(p) => ({ 'data-testid': `participant-${p.customerId}` }) as object}
            columns={[
              {
                title: s.participants,
                key: 'name',
                render: (_: unknown, p) => `${p.name}（${p.customerId}）`,
              },
              {
                title: s.responses,
                key: 'answered',
                render: (_: unknown, p) => {
                  const r = answered.get(p.customerId)
                  return r ? (
                    <Tag color="green">
                      {s.answered} · {beijing(r.recordedAt, locale)} · {r.recordedBy.userId}
                    </Tag>
                  ) : (
                    <Tag>{s.notAnswered}</Tag>
                  )
                },
              },
              {
                title: '',
                key: 'record',
                render: (_: unknown, p) =>
                  mayAnswer && !answered.has(p.customerId) ? (
                    <Button
                      size="small"
                      onClick={() => setAnswering(p.customerId)}
                      data-testid={`record-${p.customerId}`}
                    >
                      {s.record}
                    </Button>
                  ) : null,
              },
            ]}
          />
          {data.excluded.length ? (
            <Alert
              style={{ marginTop: 12 }}
              type="warning"
              showIcon
              title={s.excluded}
              description={data.excluded.map((e) => (
                <div key={e.customerId}>
                  {e.name}（{e.customerId}）· {s.lastSurveyed} {beijing(e.lastSurveyedAt, locale)} ·{' '}
                  {e.lastCampaignId}
                </div>
              ))}
            />
          ) : null}
        </Card>
      ) : null}

      {data && answering ? (
        <Answers
          key={answering}
          campaign={data}
          customerId={answering}
          onDone={async () => {
            setAnswering(null)
            await campaign.reload()
          }}
        />
      ) : null}
    </Space>
  )
}

/** One customer's answers: a score 1–5 for every item of the campaign, comments, who answered. */
function Answers(props: { campaign: CampaignWithResults; customerId: string; onDone: () => Promise<void> }) {
  const { campaign, customerId, onDone } = props
  const { locale } = useI18n()
  const w = useWords()
  const s = w.service.surveys
  const score = w.service.callbacks.score
  const [form] = Form.useForm()
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  const name = campaign.participants.find((p) => p.customerId === customerId)?.name ?? customerId

  const submit = async (v: {
    scores?: Record<string, number | undefined>
    comments?: string
    respondent?: string
  }) => {
    setBusy(true)
    setProblem(null)
    const scores = Object.fromEntries(
      Object.entries(v.scores ?? {}).filter(
        (e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0,
      ),
    )
    const { error } = await api.POST('/survey-campaigns/{campaignId}/responses/{customerId}', {
      params: { path: { campaignId: campaign.id, customerId } },
      body: {
        scores,
        ...(v.comments?.trim() ? { comments: v.comments.trim() } : {}),
        ...(v.respondent?.trim() ? { respondent: v.respondent.trim() } : {}),
      },
    })
    setBusy(false)
    if (!error) return onDone()
    setProblem(error as Problem)
    form.setFields(fieldErrors(error as Problem, locale))
  }

  return (
    <Card title={`${s.record} · ${name}`} data-testid="survey-answers">
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        {campaign.items.map((item) => (
          <Form.Item key={item} name={['scores', item]} label={say(w.service.vocab.item, item)} required>
            <Rate
              {...radioGroup}
              tooltips={[1, 2, 3, 4, 5].map((n) => `${n} · ${score[n]}`)}
              aria-label={say(w.service.vocab.item, item)}
              data-testid={`score-${item}`}
            />
          </Form.Item>
        ))}
        <Form.Item name="respondent" label={s.respondent}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="comments" label={s.comments}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        {problem ? (
          <div style={{ marginBottom: 12 }}>
            <ProblemAlert problem={problem} />
          </div>
        ) : null}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="submit-answers">
          {w.form.submit}
        </Button>
      </Form>
    </Card>
  )
}
