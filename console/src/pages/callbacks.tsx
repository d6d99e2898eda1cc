// CU-04 key-account callbacks. `#/customers/CU-…/callbacks` (where a callback notice links): the
// account, the callback due now with its form for the account manager (accuracy, timeliness, staff
// attitude 1–5, other comments, whom they spoke to), posted to the API, and the account's callback
// history. `#/callbacks`: the callbacks waiting for me (GET /tasks) and, for those who read
// customers, the key accounts. The API decides who may record a callback and what a form needs:
// its refusals are shown beside the form.
import { Alert, Button, Card, Descriptions, Form, Input, Rate, Space, Table, Tag, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { api, type components, type Problem } from '../api'
import type { Me } from '../app'
import { beijing, Countdown } from '../countdown'
import { useI18n } from '../i18n'
import { fieldErrors, ProblemAlert } from '../problem'
import { useWords } from '../words'
import { fill, say, useLoad, radioGroup } from './service-parts'

type Callback = components['schemas']['Callback']
const statusColour: Record<string, string> = {
  due: 'orange',
  made: 'green',
  missed: 'red',
  cancelled: 'default',
  scheduled: 'blue',
}
const ratings = ['accuracy', 'timeliness', 'staffAttitude'] as const

export function CallbacksPage({ customerId, me }: { customerId: string; me: Me }) {
  const { locale } = useI18n()
  const w = useWords()
  const c = w.service.callbacks
  const customer = useLoad(
    () => api.GET('/customers/{customerId}', { params: { path: { customerId } } }),
    [customerId],
  )
  const callbacks = useLoad(
    () => api.GET('/customers/{customerId}/callbacks', { params: { path: { customerId } } }),
    [customerId],
  )
  const items = callbacks.data?.items
  const due = items?.find((cb) => cb.status === 'due')
  const record = customer.data

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <span data-testid="callbacks-title">
            {c.title}
            {record ? ` · ${record.name}` : ''}
          </span>
        }
      >
        {/* A named account manager whose role reads no customer record (403) still reads the callbacks. */}
        {customer.problem && customer.problem.status !== 403 ? (
          <ProblemAlert problem={customer.problem} />
        ) : null}
        <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
          <Descriptions.Item label={c.customer}>
            {record ? `${record.name}（${customerId}）` : customerId}
          </Descriptions.Item>
          <Descriptions.Item label={w.service.surveys.keyAccount}>
            {record ? say(w.service.vocab.keyAccount, record.keyAccount.status) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={c.accountManager}>
            <span data-testid="account-manager">
              {record?.keyAccount.accountManager ?? items?.[0]?.accountManager ?? '—'}
            </span>
          </Descriptions.Item>
        </Descriptions>
      </Card>

      {callbacks.problem ? <ProblemAlert problem={callbacks.problem} /> : null}
      {items ? (
        due ? (
          <DueCallback
            key={`${due.n}`}
            customerId={customerId}
            callback={due}
            mine={due.accountManager === me.userId}
            onDone={callbacks.reload}
          />
        ) : (
          <Alert type="info" showIcon title={c.noneDue} data-testid="no-callback-due" />
        )
      ) : null}

      <Card title={c.history}>
        <Table<Callback>
          rowKey="n"
          size="small"
          loading={!items && !callbacks.problem}
          dataSource={items ?? []}
          pagination={false}
          scroll={{ x: true }}
          data-testid="callback-history"
          onRow={(cb) => ({ 'data-testid': `callback-${cb.n}`, 'data-status': cb.status }) as object}
          columns={[
            { title: '#', dataIndex: 'n', render: (n: number) => fill(c.number, { n }) },
            {
              title: c.status,
              dataIndex: 'status',
              render: (s: string, cb) => (
                <Space size={4} wrap>
                  <Tag color={statusColour[s]}>{say(c.statuses, s)}</Tag>
                  {cb.escalations.length ? (
                    <Tag color="red">{fill(c.escalated, { n: cb.escalations.length })}</Tag>
                  ) : null}
                </Space>
              ),
            },
            { title: c.dueAt, dataIndex: 'dueAt', render: (v: string) => beijing(v, locale) },
            { title: c.madeAt, dataIndex: 'madeAt', render: (v: string | null) => beijing(v, locale) },
            { title: c.madeBy, dataIndex: 'madeBy', render: (v: string | null) => v ?? '—' },
            ...ratings.map((item) => ({
              title: c[item],
              key: item,
              render: (_: unknown, cb: Callback) => cb.form?.[item] ?? '—',
            })),
            {
              title: c.comments,
              key: 'comments',
              render: (_: unknown, cb: Callback) =>
                cb.form ? (
                  <>
                    {cb.satisfied === null ? null : (
                      <Tag color={cb.satisfied ? 'green' : 'volcano'}>
                        {cb.satisfied ? c.satisfied : c.notSatisfied}
                      </Tag>
                    )}
                    {cb.form.contact ? `${c.contact}：${cb.form.contact}。` : ''}
                    {cb.form.comments ?? ''}
                  </>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>
    </Space>
  )
}

/** The callback due now: when, how long is left, and the form for its account manager. */
function DueCallback(props: {
  customerId: string
  callback: Callback
  mine: boolean
  onDone: () => Promise<void>
}) {
  const { customerId, callback, mine, onDone } = props
  const { locale } = useI18n()
  const w = useWords()
  const c = w.service.callbacks
  const [form] = Form.useForm()
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  // One key for this form: a repeated submit (a lost answer) is the same request to the API.
  const key = useMemo(
    () => `callback-${customerId}-${callback.n}-${crypto.randomUUID()}`,
    [customerId, callback.n],
  )

  const submit = async (values: Record<string, unknown>) => {
    setBusy(true)
    setProblem(null)
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)
    const { error } = await api.POST('/customers/{customerId}/callbacks/{n}', {
      params: { path: { customerId, n: callback.n }, header: { 'idempotency-key': key } },
      body: {
        accuracy: values.accuracy as number,
        timeliness: values.timeliness as number,
        staffAttitude: values.staffAttitude as number,
        comments: text(values.comments),
        contact: text(values.contact),
      },
    })
    setBusy(false)
    if (!error) return onDone()
    setProblem(error as Problem)
    form.setFields(fieldErrors(error as Problem, locale))
  }

  return (
    <Card
      title={`${c.due} · ${fill(c.number, { n: callback.n })}`}
      data-testid="callback-due"
      extra={<Countdown deadline={callback.deadline} />}
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={c.dueAt}>{beijing(callback.dueAt, locale)}</Descriptions.Item>
        <Descriptions.Item label={c.deadline}>{beijing(callback.deadline, locale)}</Descriptions.Item>
        <Descriptions.Item label={c.accountManager}>{callback.accountManager}</Descriptions.Item>
      </Descriptions>
      {mine ? (
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="callback-form">
          <Typography.Paragraph type="secondary">{c.formHint}</Typography.Paragraph>
          {ratings.map((item) => (
            <Form.Item key={item} name={item} label={c[item]} required>
              <Rate
                {...radioGroup}
                count={5}
                tooltips={[1, 2, 3, 4, 5].map((n) => `${n} · ${c.score[n]}`)}
                data-testid={`rate-${item}`}
                aria-label={c[item]}
              />
            </Form.Item>
          ))}
          <Form.Item name="contact" label={c.contact}>
            <Input data-testid="callback-contact" maxLength={200} />
          </Form.Item>
          <Form.Item name="comments" label={c.comments}>
            <Input.TextArea rows={3} data-testid="callback-comments" maxLength={2000} />
          </Form.Item>
          {problem ? (
            <div style={{ marginBottom: 12 }}>
              <ProblemAlert problem={problem} />
            </div>
          ) : null}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="submit-callback">
            {c.submit}
          </Button>
        </Form>
      ) : (
        <Alert type="info" showIcon title={`${c.accountManager}：${callback.accountManager}`} />
      )}
    </Card>
  )
}

type KeyAccount = components['schemas']['CustomerForRole']
type Task = { caseId: string; caseType: string; action: string; deadline: string | null; overdue: boolean }

/**
 * `#/callbacks`: the callbacks waiting for me (my tasks of CU-04) and the key accounts, each
 * opening its callbacks page. The key accounts are listed for the roles that read customers.
 */
export function MyCallbacksPage() {
  const { locale } = useI18n()
  const w = useWords()
  const c = w.service.callbacks
  const tasks = useLoad(() => api.GET('/tasks', { params: { query: { limit: 500 } } }), [])
  const accounts = useLoad(
    () => api.GET('/customers', { params: { query: { keyAccount: 'confirmed', limit: 200 } } }),
    [],
  )
  const mine = ((tasks.data?.items ?? []) as Task[]).filter((t) => t.caseType === 'keyAccountCallbacks')
  const page = (caseId: string) => `#/customers/${caseId.replace(/\/callbacks$/, '')}/callbacks`

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={c.mine}>
        {tasks.problem ? <ProblemAlert problem={tasks.problem} /> : null}
        <Table<Task>
          rowKey="caseId"
          size="small"
          loading={!tasks.data && !tasks.problem}
          dataSource={mine}
          pagination={false}
          locale={{ emptyText: c.mineEmpty }}
          data-testid="my-callbacks"
          columns={[
            {
              title: c.customer,
              dataIndex: 'caseId',
              render: (caseId: string) => <a href={page(caseId)}>{caseId.replace(/\/callbacks$/, '')}</a>,
            },
            { title: c.deadline, dataIndex: 'deadline', render: (v: string | null) => beijing(v, locale) },
            {
              title: c.remaining,
              dataIndex: 'deadline',
              key: 'remaining',
              render: (v: string | null) => <Countdown deadline={v} />,
            },
          ]}
        />
      </Card>
      {accounts.data ? (
        <Card title={c.keyAccounts}>
          <Table<KeyAccount>
            rowKey="id"
            size="small"
            dataSource={accounts.data.items}
            pagination={false}
            data-testid="key-accounts"
            columns={[
              {
                title: c.customer,
                dataIndex: 'name',
                render: (name: string, row) => (
                  <a href={`#/customers/${row.id}/callbacks`}>{`${name}（${row.id}）`}</a>
                ),
              },
              {
                title: c.accountManager,
                key: 'manager',
                render: (_: unknown, row) => row.keyAccount.accountManager ?? '—',
              },
            ]}
          />
        </Card>
      ) : null}
    </Space>
  )
}
