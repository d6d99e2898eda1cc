// Intake: a service request, a complaint (appeal, consultation, inquiry) or a return, each form
// drawn from its route's body schema, offered to the roles the route names (`x-roles`). The
// answer gives the case number and its first deadline at once.
// CU-01: as the agent types the caller's phone, the customer records with that phone are
// proposed; the agent confirms one (its id goes with the intake), or creates a record with the
// case (`create`, one request; retried with the same Idempotency-Key it is created once).
import { Alert, Button, Card, Descriptions, Form, Input, Radio, Space, Spin, Tabs, Tag } from 'antd'
import type { FormInstance } from 'antd'
import { useEffect, useMemo, useRef, useState } from 'react'
import { send, type Problem } from '../api'
import type { Me } from '../app'
import { beijing, Countdown } from '../countdown'
import { useI18n, word } from '../i18n'
import { requestBody, routeRoles, type JsonSchema } from '../openapi'
import { SchemaFields, toBody } from '../schema-form'
import { useWords } from '../words'
import { fieldErrors, ProblemAlert } from '../problem'
import { openCaseNumber } from './customer-search'

const kinds = [
  { key: 'service-request', path: '/service-requests' },
  { key: 'complaint', path: '/complaints' },
  { key: 'return', path: '/returns' },
] as const

/** Where an intake names its customer: the contact group, and the field of the record's id. */
type CustomerFields = { group: string; id: string }
const customerFieldsOf = (schema: JsonSchema): CustomerFields | null => {
  for (const [group, id] of [
    ['customer', 'id'],
    ['complainant', 'customerId'],
  ] as const) {
    const props = schema.properties?.[group]?.properties
    // Only intakes that can create the record take part (the API says so with `create`).
    if (props?.create && props[id]) return { group, id }
  }
  return null
}

/** The schema the generic form draws: without `create`, which the customer picker fills. */
function withoutCreate(schema: JsonSchema, fields: CustomerFields | null): JsonSchema {
  if (!fields) return schema
  const group = schema.properties![fields.group]!
  const { create: _create, ...rest } = group.properties!
  return {
    ...schema,
    properties: { ...schema.properties, [fields.group]: { ...group, properties: rest } },
  }
}

type CustomerMatch = { id: string; name: string; keyAccount: { status: string } }
type Choice = { kind: 'none' } | { kind: 'existing'; id: string } | { kind: 'create' }

export function IntakePage({ me }: { me: Me }) {
  const w = useWords()
  const { t } = useI18n()
  const [allowed, setAllowed] = useState<string[] | null>(null)

  useEffect(() => {
    document.title = `${w.intake.title} · ${t.app.title}`
    void Promise.all(kinds.map((k) => routeRoles('post', k.path))).then((roles) =>
      setAllowed(
        kinds
          .filter((_, i) => {
            const may = roles[i]
            return Array.isArray(may) ? may.some((r) => me.roles.includes(r)) : may === 'authenticated'
          })
          .map((k) => k.key),
      ),
    )
  }, [me, w, t])

  if (allowed === null) return <Spin />
  if (allowed.length === 0) return <Alert type="info" title={w.intake.notAllowed} />
  const label = {
    'service-request': w.intake.serviceRequest,
    complaint: w.intake.complaint,
    return: w.intake.return,
  }
  return (
    <Card title={w.intake.title}>
      <Tabs
        items={kinds
          .filter((k) => allowed.includes(k.key))
          .map((k) => ({
            key: k.key,
            label: label[k.key],
            children: <IntakeForm path={k.path} kind={k.key} />,
          }))}
      />
    </Card>
  )
}

type Created = { caseId: string; status: string } & Record<string, unknown>

function IntakeForm({ path, kind }: { path: string; kind: string }) {
  const { t, locale } = useI18n()
  const w = useWords()
  const [schema, setSchema] = useState<JsonSchema | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [created, setCreated] = useState<Created | null>(null)
  const [busy, setBusy] = useState(false)
  const [form] = Form.useForm()
  const [choice, setChoice] = useState<Choice>({ kind: 'none' })
  const [organisation, setOrganisation] = useState('')
  // One key per case being entered: a resend after a lost answer is the same request (CU-01).
  const idempotencyKey = useRef(crypto.randomUUID())

  useEffect(() => {
    void requestBody(path).then(setSchema)
  }, [path])
  const fields = useMemo(() => (schema ? customerFieldsOf(schema) : null), [schema])
  const drawn = useMemo(() => (schema ? withoutCreate(schema, fields) : null), [schema, fields])

  if (!schema || !drawn) return <Spin />
  const submit = async (values: Record<string, Record<string, unknown>>) => {
    setBusy(true)
    setProblem(null)
    const body = (toBody(values, drawn) ?? {}) as Record<string, Record<string, unknown>>
    if (fields && choice.kind === 'create') {
      // The new record: the organisation, with the caller as its contact and the intake's address.
      const contact = body[fields.group] ?? {}
      body[fields.group] = {
        ...contact,
        create: {
          name: organisation.trim(),
          contacts: contact.name && contact.phone ? [{ name: contact.name, phone: contact.phone }] : [],
          addresses: contact.address ? [contact.address] : [],
        },
      }
    }
    const result = await send('POST', path, body, { 'idempotency-key': idempotencyKey.current })
    setBusy(false)
    if (result.error) {
      setProblem(result.error)
      form.setFields(fieldErrors(result.error, locale))
      return
    }
    setCreated(result.data as Created)
    form.resetFields()
    setChoice({ kind: 'none' })
    setOrganisation('')
    idempotencyKey.current = crypto.randomUUID()
  }
  // The first deadline the answer names (contactDeadline, replyDeadline, reviewDeadline…).
  const deadline = created
    ? (Object.entries(created).find(([k, v]) => k.endsWith('Deadline') && typeof v === 'string') as
        [string, string] | undefined)
    : undefined

  return (
    <>
      {created ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="intake-created"
          title={w.intake.created}
          description={
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={w.intake.caseNumber}>
                <b data-testid="created-case">{created.caseId}</b>
              </Descriptions.Item>
              {typeof created.customerId === 'string' ? (
                <Descriptions.Item label={w.intake.linkedTo}>
                  <span data-testid="created-customer">{created.customerId}</span>
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t.case.status}>{word(t.status, created.status)}</Descriptions.Item>
              {deadline ? (
                <Descriptions.Item label={w.intake.firstDeadline}>
                  <Space wrap>
                    <span data-testid="created-deadline" data-field={deadline[0]}>
                      {beijing(deadline[1], locale)}
                    </span>
                    <Countdown deadline={deadline[1]} />
                  </Space>
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label="">
                <Button size="small" onClick={() => openCaseNumber(created.caseId)}>
                  {w.intake.open}
                </Button>
              </Descriptions.Item>
            </Descriptions>
          }
        />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        data-testid={`intake-${kind}`}
      >
        <SchemaFields schema={drawn} testPrefix={kind} />
        {fields ? (
          <CustomerPicker
            form={form}
            fields={fields}
            kind={kind}
            choice={choice}
            onChoice={setChoice}
            organisation={organisation}
            onOrganisation={setOrganisation}
          />
        ) : null}
        {problem ? (
          <div style={{ marginBottom: 12 }}>
            <ProblemAlert problem={problem} />
          </div>
        ) : null}
        <Button type="primary" htmlType="submit" loading={busy} data-testid={`submit-${kind}`}>
          {w.form.submit}
        </Button>
      </Form>
    </>
  )
}

/**
 * CU-01: the customer records with the phone typed (GET /customers?phone=, looked up once the
 * agent pauses), to confirm one, or a new record to create with the case.
 */
function CustomerPicker(props: {
  form: FormInstance
  fields: CustomerFields
  kind: string
  choice: Choice
  onChoice: (choice: Choice) => void
  organisation: string
  onOrganisation: (name: string) => void
}) {
  const w = useWords()
  const { form, fields, kind, choice, onChoice } = props
  const phone = Form.useWatch([fields.group, 'phone'], form) as string | undefined
  const [matches, setMatches] = useState<CustomerMatch[] | null>(null)
  const [looking, setLooking] = useState(false)

  useEffect(() => {
    const digits = (phone ?? '').replace(/\D/g, '')
    if (digits.length < 7) {
      setMatches(null)
      return
    }
    let current = true
    const timer = setTimeout(() => {
      setLooking(true)
      void send('GET', `/customers?phone=${encodeURIComponent(phone!.trim())}&limit=20`).then((result) => {
        if (!current) return
        setLooking(false)
        setMatches(result.data ? (result.data as { items: CustomerMatch[] }).items : [])
      })
    }, 400)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [phone])

  const pick = (next: Choice) => {
    onChoice(next)
    form.setFieldValue([fields.group, fields.id], next.kind === 'existing' ? next.id : undefined)
  }
  const value = choice.kind === 'existing' ? choice.id : choice.kind
  return (
    <Card
      size="small"
      title={w.intake.customer}
      style={{ marginBottom: 16 }}
      data-testid={`${kind}-customer-picker`}
    >
      <div style={{ marginBottom: 8, color: 'rgba(0,0,0,0.55)' }}>{w.intake.customerHint}</div>
      {looking ? (
        <Space>
          <Spin size="small" />
          {w.intake.searching}
        </Space>
      ) : null}
      {matches && matches.length === 0 ? (
        <div data-testid={`${kind}-no-match`}>{w.intake.noMatch}</div>
      ) : null}
      <Radio.Group
        value={value}
        onChange={(e) => {
          const v = e.target.value as string
          pick(v === 'none' || v === 'create' ? { kind: v } : { kind: 'existing', id: v })
        }}
      >
        <Space direction="vertical">
          {(matches ?? []).map((m) => (
            <Radio key={m.id} value={m.id} data-testid={`${kind}-match-${m.id}`}>
              {m.name} <span style={{ color: 'rgba(0,0,0,0.45)' }}>{m.id}</span>{' '}
              {m.keyAccount.status === 'confirmed' ? <Tag color="gold">{w.intake.keyAccount}</Tag> : null}
            </Radio>
          ))}
          <Radio value="none">{w.intake.noLink}</Radio>
          <Radio value="create" data-testid={`${kind}-create-customer`}>
            {w.intake.createNew}
          </Radio>
        </Space>
      </Radio.Group>
      {choice.kind === 'create' ? (
        <Input
          style={{ marginTop: 8 }}
          placeholder={w.intake.organisation}
          value={props.organisation}
          onChange={(e) => props.onOrganisation(e.target.value)}
          data-testid={`${kind}-new-customer-name`}
        />
      ) : null}
    </Card>
  )
}
