// Customers (CU-01, CU-02). `#/customers`: find a record by name or phone, and a new one for the
// roles that create them. `#/customers/new`: the new record's form (POST /customers).
// `#/customers/CU-…` (where a refresh or key-account task opens): the record as the API gives it to
// my role (masked as the API masks it), the key-account designation with its account manager, the
// service history (each case opening its page, with its SLA result and survey), a link to the
// account's callbacks, and the steps the API lets my role take: change and confirm the record (the
// monthly refresh), decide on the designation (confirm with an account manager, decline, end, name
// another manager). Forms are drawn from the API's schemas (/openapi.json), offered to the roles
// its routes declare (x-roles), and its refusals (403/409/422) are shown beside the step and field.
import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Table, Tag, Typography } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { api, send, type components, type Problem } from '../api'
import type { Me } from '../app'
import { beijing } from '../countdown'
import { useI18n, word } from '../i18n'
import { choiceLabel } from '../labels'
import { nonNull, requestBody, type JsonSchema } from '../openapi'
import { fieldErrors, ProblemAlert } from '../problem'
import { consolePage, go } from '../router'
import { SchemaFields, toBody } from '../schema-form'
import { keyAccountReason, useWords } from '../words'
import { say, useLoad, useMayCall } from './service-parts'

type Record = components['schemas']['CustomerWithHistory']
type Listed = components['schemas']['CustomerForRole']
type History = Record['history'][number]

const keyColour: { [status: string]: string } = {
  none: 'default',
  proposed: 'orange',
  confirmed: 'green',
  declined: 'default',
  ended: 'default',
}

/** The record's fields the change form takes, from the record (so the form starts from it). */
const changeable = (c: Listed) => ({
  name: c.name,
  contacts: c.contacts,
  phones: c.phones,
  addresses: c.addresses,
  contractValueCny: c.contractValueCny,
  flags: c.flags,
  credit: c.credit,
})

export function CustomerPage({ customerId, me }: { customerId: string; me: Me }) {
  const { t, locale } = useI18n()
  const w = useWords()
  const u = w.customer
  const loaded = useLoad(
    () => api.GET('/customers/{customerId}', { params: { path: { customerId } } }),
    [customerId],
  )
  const mayChange = useMayCall('patch', '/customers/{customerId}', me)
  const mayConfirm = useMayCall('post', '/customers/{customerId}/confirm', me)
  const mayDecide = useMayCall('post', '/customers/{customerId}/key-account', me)
  const c = loaded.data
  useEffect(() => {
    document.title = `${c?.name ?? customerId} · ${u.title} · ${t.app.title}`
  }, [c, customerId, u, t])

  if (loaded.problem)
    return (
      <Card title={`${u.title} · ${customerId}`}>
        <ProblemAlert problem={loaded.problem} />
      </Card>
    )
  if (!c) return <Card loading title={`${u.title} · ${customerId}`} />

  const overdue = Date.parse(c.refreshDueAt) <= Date.now()
  const masked = [...c.phones, ...c.contacts.map((p) => p.phone)].some((p) => p.includes('*'))
  const ka = c.keyAccount
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <span data-testid="customer-title">
            {c.name}（{c.id}）
          </span>
        }
        extra={
          <Space wrap>
            <Tag color={keyColour[ka.status]} data-testid="key-account-status" data-status={ka.status}>
              {say(w.service.vocab.keyAccount, ka.status)}
            </Tag>
            <a href={`#/customers/${c.id}/callbacks`} data-testid="customer-callbacks">
              {u.openCallbacks}
            </a>
          </Space>
        }
      >
        {masked ? <Alert type="info" showIcon title={u.masked} style={{ marginBottom: 12 }} /> : null}
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} data-testid="customer-record">
          <Descriptions.Item label={u.credit}>{choiceLabel(locale, 'credit', c.credit)}</Descriptions.Item>
          <Descriptions.Item label={u.contractValue}>
            {c.contractValueCny.toLocaleString(locale)}
          </Descriptions.Item>
          <Descriptions.Item label={u.flags}>
            {c.flags.regionalLandmark ? <Tag>{u.regionalLandmark}</Tag> : null}
            {c.flags.potentialLarge ? <Tag>{u.potentialLarge}</Tag> : null}
            {!c.flags.regionalLandmark && !c.flags.potentialLarge ? w.service.common.none : null}
          </Descriptions.Item>
          <Descriptions.Item label={u.phones}>{c.phones.join('，') || '—'}</Descriptions.Item>
          <Descriptions.Item label={u.addresses} span={2}>
            {c.addresses.join('；') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={u.confirmedAt}>{beijing(c.confirmedAt, locale)}</Descriptions.Item>
          <Descriptions.Item label={u.refreshDueAt}>
            <span data-testid="refresh-due" data-overdue={String(overdue)}>
              {beijing(c.refreshDueAt, locale)} {overdue ? <Tag color="red">{u.refreshOverdue}</Tag> : null}
            </span>
          </Descriptions.Item>
        </Descriptions>
        <Table
          style={{ marginTop: 12 }}
          size="small"
          rowKey={(p) => `${p.name}:${p.phone}`}
          pagination={false}
          dataSource={c.contacts}
          title={() => <strong>{u.contacts}</strong>}
          locale={{ emptyText: w.service.common.none }}
          data-testid="customer-contact-table"
          scroll={{ x: true }}
          columns={[
            { title: u.name, dataIndex: 'name' },
            { title: u.phone, dataIndex: 'phone' },
            { title: u.position, dataIndex: 'position', render: (v?: string) => v ?? '—' },
            { title: u.email, dataIndex: 'email', render: (v?: string) => v ?? '—' },
          ]}
        />
      </Card>

      <Card title={u.keyAccount} data-testid="key-account">
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={u.keyStatus}>
            {say(w.service.vocab.keyAccount, ka.status)}
          </Descriptions.Item>
          <Descriptions.Item label={u.accountManager}>
            <span data-testid="customer-account-manager">{ka.accountManager ?? '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={u.qualifies}>{ka.qualifies ? u.yes : u.no}</Descriptions.Item>
          <Descriptions.Item label={u.reasons}>
            {ka.reasons.map((r) => keyAccountReason(r, w, locale)).join('；') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={u.proposedAt}>{beijing(ka.proposedAt, locale)}</Descriptions.Item>
          <Descriptions.Item label={u.decidedAt}>
            {beijing(ka.decidedAt, locale)}
            {ka.decidedBy ? ` · ${ka.decidedBy}` : ''}
          </Descriptions.Item>
        </Descriptions>
        {mayDecide ? <DecisionForm customerId={c.id} onDone={loaded.reload} /> : null}
      </Card>

      {mayChange || mayConfirm ? (
        <RefreshCard
          key={c.revision}
          customer={c}
          mayChange={mayChange}
          mayConfirm={mayConfirm}
          due={overdue}
          onDone={loaded.reload}
        />
      ) : null}

      <Card title={u.history}>
        <HistoryTable history={c.history} />
      </Card>
    </Space>
  )
}

/** CU-01 monthly refresh: the record's fields to correct (PATCH) and the confirmation (POST …/confirm). */
function RefreshCard(props: {
  customer: Listed
  mayChange: boolean
  mayConfirm: boolean
  /** The refresh is due: the record's fields are open to check; otherwise on request. */
  due: boolean
  onDone: () => Promise<void>
}) {
  const { customer, mayChange, mayConfirm, due, onDone } = props
  const [editing, setEditing] = useState(due)
  const { locale } = useI18n()
  const u = useWords().customer
  const [schema, setSchema] = useState<JsonSchema | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState<'save' | 'confirm' | null>(null)
  const [form] = Form.useForm()
  const [note, setNote] = useState('')
  useEffect(() => {
    void requestBody('/customers/{customerId}', 'patch').then(setSchema)
  }, [])
  const path = `/customers/${encodeURIComponent(customer.id)}`

  /** Saves what was changed; false when the API refused it (shown beside the form). */
  const save = async (): Promise<boolean> => {
    if (!schema || !editing || !form.isFieldsTouched()) return true
    const result = await send('PATCH', path, toBody(form.getFieldsValue(true), schema) ?? {})
    if (!result.error) return true
    setProblem(result.error)
    form.setFields(fieldErrors(result.error, locale))
    return false
  }
  const run = async (what: 'save' | 'confirm') => {
    setBusy(what)
    setProblem(null)
    let ok = mayChange ? await save() : true
    if (ok && what === 'confirm') {
      const result = await send('POST', `${path}/confirm`, note.trim() ? { note: note.trim() } : {})
      if (result.error) setProblem(result.error)
      ok = !result.error
    }
    setBusy(null)
    if (ok) await onDone()
  }

  return (
    <Card title={u.refreshTitle} data-testid="customer-refresh">
      <Typography.Paragraph type="secondary">{u.refreshHint}</Typography.Paragraph>
      {mayChange && schema ? (
        <Form
          form={form}
          layout="vertical"
          initialValues={changeable(customer)}
          data-testid="customer-change"
        >
          <SchemaFields schema={schema} testPrefix="customer" />
        </Form>
      ) : null}
      {mayConfirm ? (
        <Form.Item label={u.confirmNote} htmlFor="customer-confirm-note">
          <Input
            id="customer-confirm-note"
            data-testid="customer-confirm-note"
            value={note}
            maxLength={1000}
            onChange={(e) => setNote(e.target.value)}
          />
        </Form.Item>
      ) : null}
      {problem ? (
        <div style={{ marginBottom: 12 }}>
          <ProblemAlert problem={problem} />
        </div>
      ) : null}
      <Space wrap>
        {mayChange && !editing ? (
          <Button onClick={() => setEditing(true)} data-testid="customer-edit">
            {u.edit}
          </Button>
        ) : null}
        {mayChange && editing ? (
          <Button onClick={() => void run('save')} loading={busy === 'save'} data-testid="customer-save">
            {u.saveChange}
          </Button>
        ) : null}
        {mayConfirm ? (
          <Button
            type="primary"
            onClick={() => void run('confirm')}
            loading={busy === 'confirm'}
            data-testid="customer-confirm"
          >
            {u.confirm}
          </Button>
        ) : null}
      </Space>
    </Card>
  )
}

/** The decision's variants as the API's schema gives them (`decision` names each). */
function variantsOf(schema: JsonSchema): { decision: string; fields: JsonSchema }[] {
  return (schema.oneOf ?? schema.anyOf ?? []).map((variant) => {
    const v = nonNull(variant)
    const tag = v.properties?.decision
    const decision = String(tag?.const ?? tag?.enum?.[0] ?? '')
    const { decision: _tag, ...properties } = v.properties ?? {}
    return {
      decision,
      fields: { ...v, properties, required: (v.required ?? []).filter((r) => r !== 'decision') },
    }
  })
}

/** CU-02/CU-03: marketing's decision on the designation, drawn from the API's KeyAccountDecision. */
function DecisionForm({ customerId, onDone }: { customerId: string; onDone: () => Promise<void> }) {
  const { locale } = useI18n()
  const w = useWords()
  const u = w.customer
  const [schema, setSchema] = useState<JsonSchema | null>(null)
  const [decision, setDecision] = useState<string | undefined>(undefined)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  const [form] = Form.useForm()
  useEffect(() => {
    void requestBody('/customers/{customerId}/key-account').then(setSchema)
  }, [])
  const variants = useMemo(() => (schema ? variantsOf(schema) : []), [schema])
  const chosen = variants.find((v) => v.decision === decision)

  const submit = async (values: unknown) => {
    if (!chosen) return
    setBusy(true)
    setProblem(null)
    const body = {
      decision: chosen.decision,
      ...((toBody(values, chosen.fields) as object | undefined) ?? {}),
    }
    const result = await send('POST', `/customers/${encodeURIComponent(customerId)}/key-account`, body)
    setBusy(false)
    if (!result.error) {
      form.resetFields()
      setDecision(undefined)
      return onDone()
    }
    setProblem(result.error)
    form.setFields(fieldErrors(result.error, locale))
  }

  return (
    <Card
      type="inner"
      size="small"
      title={u.decideTitle}
      style={{ marginTop: 12 }}
      data-testid="key-account-decision"
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label={u.decision} required htmlFor="key-account-decision-choice">
          <Select
            id="key-account-decision-choice"
            data-testid="key-account-decision-choice"
            value={decision}
            onChange={(v: string) => {
              setDecision(v)
              setProblem(null)
            }}
            options={variants.map((v) => ({
              value: v.decision,
              label: choiceLabel(locale, 'decision', v.decision),
            }))}
          />
        </Form.Item>
        {chosen ? (
          <SchemaFields key={chosen.decision} schema={chosen.fields} testPrefix="key-account" />
        ) : null}
        {problem ? (
          <div style={{ marginBottom: 12 }}>
            <ProblemAlert problem={problem} />
          </div>
        ) : null}
        <Button
          type="primary"
          htmlType="submit"
          disabled={!chosen}
          loading={busy}
          data-testid="submit-key-account"
        >
          {w.form.submit}
        </Button>
      </Form>
    </Card>
  )
}

/** Every case linked to the customer: its page, its SLA result and its survey. */
function HistoryTable({ history }: { history: History[] }) {
  const { t, locale } = useI18n()
  const w = useWords()
  const u = w.customer
  return (
    <Table<History>
      rowKey="caseId"
      size="small"
      pagination={false}
      dataSource={history}
      scroll={{ x: true }}
      locale={{ emptyText: u.noHistory }}
      data-testid="customer-history"
      onRow={(h) => ({ 'data-testid': `history-${h.caseId}` }) as object}
      columns={[
        {
          title: u.case,
          dataIndex: 'caseId',
          render: (caseId: string) => {
            const page = consolePage(caseId)
            return page ? <a href={`#/${page}`}>{caseId}</a> : caseId
          },
        },
        { title: u.type, dataIndex: 'caseType', render: (v: string) => word(t.caseType, v) },
        { title: u.status, dataIndex: 'status', render: (v: string) => word(t.status, v) },
        {
          title: u.severity,
          dataIndex: 'severity',
          render: (v: string | null) => (v ? word(t.severity, v) : '—'),
        },
        { title: u.received, dataIndex: 'receivedAt', render: (v: string) => beijing(v, locale) },
        {
          title: u.sla,
          key: 'sla',
          render: (_: unknown, h) =>
            h.breachedClocks.length ? (
              <Space size={4} wrap>
                {h.breachedClocks.map((clock) => (
                  <Tag key={clock} color="red">
                    {word(t.clock, clock)}
                  </Tag>
                ))}
              </Space>
            ) : (
              <Tag color={h.closed ? 'green' : 'blue'}>{h.closed ? u.onTime : u.open}</Tag>
            ),
        },
        {
          title: u.survey,
          key: 'survey',
          render: (_: unknown, h) =>
            h.survey
              ? Object.entries(h.survey)
                  .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
                  .map(([k, v]) => `${say(w.service.vocab.item, k)} ${String(v)}`)
                  .join('，')
              : u.noSurvey,
        },
      ]}
    />
  )
}

/** `#/customers`: find a record; a new one for the roles that create them. */
export function CustomersPage({ me }: { me: Me }) {
  const w = useWords()
  const u = w.customer
  const mayCreate = useMayCall('post', '/customers', me)
  const [text, setText] = useState('')
  const [query, setQuery] = useState<{ q?: string; phone?: string }>({})
  const found = useLoad(
    () => api.GET('/customers', { params: { query: { ...query, limit: 50 } } }),
    [query.q, query.phone],
  )
  const search = (value: string) => {
    const v = value.trim()
    setQuery(!v ? {} : /^[+\d][\d\s-]{2,}$/.test(v) ? { phone: v } : { q: v })
  }
  return (
    <Card
      title={u.listTitle}
      extra={
        mayCreate ? (
          <Button type="primary" href="#/customers/new" data-testid="new-customer">
            {u.create}
          </Button>
        ) : null
      }
    >
      <Input.Search
        aria-label={u.search}
        placeholder={u.search}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onSearch={search}
        allowClear
        style={{ maxWidth: 420, marginBottom: 12 }}
        data-testid="customer-search"
      />
      {found.problem ? <ProblemAlert problem={found.problem} /> : null}
      <Table<Listed>
        rowKey="id"
        size="small"
        loading={!found.data && !found.problem}
        dataSource={found.data?.items ?? []}
        pagination={false}
        scroll={{ x: true }}
        data-testid="customer-list"
        columns={[
          {
            title: u.name,
            dataIndex: 'name',
            render: (name: string, row) => <a href={`#/customers/${row.id}`}>{`${name}（${row.id}）`}</a>,
          },
          { title: u.phones, dataIndex: 'phones', render: (v: string[]) => v.join('，') || '—' },
          {
            title: u.keyStatus,
            key: 'keyAccount',
            render: (_: unknown, row) => (
              <Tag color={keyColour[row.keyAccount.status]}>
                {say(w.service.vocab.keyAccount, row.keyAccount.status)}
              </Tag>
            ),
          },
        ]}
      />
    </Card>
  )
}

/** `#/customers/new`: a new customer record (POST /customers), its form drawn from the API's schema. */
export function NewCustomerPage({ me }: { me: Me }) {
  const { locale } = useI18n()
  const w = useWords()
  const u = w.customer
  const notAllowed = w.service.common.notAllowed
  const mayCreate = useMayCall('post', '/customers', me)
  const [schema, setSchema] = useState<JsonSchema | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  const [form] = Form.useForm()
  useEffect(() => {
    void requestBody('/customers').then(setSchema)
  }, [])

  const submit = async (values: unknown) => {
    if (!schema) return
    setBusy(true)
    setProblem(null)
    const result = await send('POST', '/customers', toBody(values, schema) ?? {})
    setBusy(false)
    if (!result.error) return go(`customers/${(result.data as { id: string }).id}`)
    setProblem(result.error)
    form.setFields(fieldErrors(result.error, locale))
  }

  return (
    <Card title={u.createTitle} loading={!schema} data-testid="new-customer-page">
      {!mayCreate ? <Alert type="info" showIcon title={notAllowed} /> : null}
      {schema && mayCreate ? (
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="new-customer-form">
          <SchemaFields schema={schema} testPrefix="new-customer" />
          {problem ? (
            <div style={{ marginBottom: 12 }}>
              <ProblemAlert problem={problem} />
            </div>
          ) : null}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="submit-new-customer">
            {u.create}
          </Button>
        </Form>
      ) : null}
    </Card>
  )
}
