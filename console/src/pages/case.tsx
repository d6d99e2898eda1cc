// A service request: header, clocks with countdowns, its decisions and notices by time, and the steps I
// may take now offered as forms (GET /steps/{caseId}: those the case waits for, then those it
// accepts without waiting, such as an engineer's progress report on site); a refusal (403/409/422) is shown beside
// the step it concerns, in the reader's language, with the API's own words beneath.
import {
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Radio,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api, type Problem, type ServiceRequest } from '../api'
import type { Me } from '../app'
import { CaseRecord, TemporalLink, type RecordExtra } from '../case-parts'
import { beijing, Countdown } from '../countdown'
import { useI18n, word, type Catalogue, type Locale } from '../i18n'
import { fieldErrors, ProblemAlert } from '../problem'
import { StepCard } from '../step-card'

type Clock = ServiceRequest['clocks'][string]
type Step = 'contact' | 'classify' | 'dispatch' | 'arrive' | 'checkIn'
/** The pending actions the console has a form for (the others are listed by name). */
const forms: Record<string, Step> = {
  contact: 'contact',
  classify: 'classify',
  dispatch: 'dispatch',
  arrive: 'arrive',
  checkIn: 'checkIn',
}

export function CasePage({ caseId, me }: { caseId: string; me: Me }) {
  const { t, locale } = useI18n()
  const [view, setView] = useState<ServiceRequest | null>(null)
  const [failure, setFailure] = useState<Problem | null>(null)
  const [actions, setActions] = useState<{ action: string; optional: boolean }[]>([])

  const load = useCallback(async () => {
    const [found, steps] = await Promise.all([
      api.GET('/service-requests/{caseId}', { params: { path: { caseId } } }),
      api.GET('/steps/{caseId}', { params: { path: { caseId } } }),
    ])
    if (found.data) setView(found.data as ServiceRequest)
    else setFailure((found.error as Problem) ?? null)
    // The workflow's order: what it waits for first, then what it accepts without waiting.
    const items = steps.data?.items ?? []
    setActions([...items.filter((a) => !a.optional), ...items.filter((a) => a.optional)])
  }, [caseId])
  useEffect(() => {
    void load()
    const timer = window.setInterval(() => void load(), 10_000)
    return () => window.clearInterval(timer)
  }, [load])
  useEffect(() => {
    document.title = `${caseId} · ${t.app.title}`
  }, [caseId, t])

  if (failure) return <ProblemAlert problem={failure} />
  if (!view) return <Card loading />

  const unit = view.unitId && view.unitId === me.unitId ? me.unitName : (view.unitId ?? t.case.unassigned)
  const severity = view.classification?.data.severity
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <a href="#/tasks">← {t.case.back}</a>
      <Card
        title={
          <Space wrap>
            <span data-testid="case-number">{view.caseId}</span>
            <Tag color={view.status === 'closed' ? 'default' : 'processing'} data-testid="case-status">
              {word(t.status, view.status)}
            </Tag>
            {severity ? (
              <Tag
                color={severity === 'A' ? 'red' : severity === 'B' ? 'orange' : 'green'}
                data-testid="case-severity"
              >
                {t.severity[severity]}
              </Tag>
            ) : null}
            {view.slaBreached ? <Tag color="red">{t.case.breached}</Tag> : null}
          </Space>
        }
        extra={<TemporalLink me={me} caseId={caseId} />}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={t.case.unit}>{unit}</Descriptions.Item>
          <Descriptions.Item label={t.case.received}>{beijing(view.receivedAt, locale)}</Descriptions.Item>
          <Descriptions.Item label={t.case.customer}>
            {view.intake.customer.name} {view.intake.customer.phone}
          </Descriptions.Item>
          <Descriptions.Item label={t.case.product}>
            {view.intake.product.model} / {view.intake.product.serialNumber}
          </Descriptions.Item>
          <Descriptions.Item label={t.case.description} span={2}>
            {view.intake.description}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t.case.clocks}>
        <Clocks clocks={view.clocks} />
      </Card>
      <Card title={t.case.actions}>
        {actions.length === 0 ? (
          <Empty description={t.case.noActions} />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            {actions.map(({ action, optional }) =>
              forms[action] ? (
                <StepForm key={action} caseId={caseId} step={forms[action]} onDone={load} />
              ) : (
                <StepCard
                  key={action}
                  prefix="/service-requests"
                  caseId={caseId}
                  action={action}
                  optional={optional}
                  onDone={load}
                />
              ),
            )}
          </Space>
        )}
      </Card>
      <CaseRecord
        prefix="/service-requests"
        caseId={caseId}
        stamp={JSON.stringify(view)}
        extra={escalations(view, t, locale)}
      />
    </Space>
  )
}

export function Clocks({ clocks }: { clocks: Record<string, Clock> }) {
  const { t, locale } = useI18n()
  const rows = Object.entries(clocks).map(([name, clock]) => ({ name, ...clock }))
  return (
    <Table
      rowKey="name"
      size="small"
      pagination={false}
      scroll={{ x: true }}
      dataSource={rows}
      onRow={(row) => ({ 'data-testid': `clock-${row.name}` }) as object}
      columns={[
        { title: t.case.clock, dataIndex: 'name', render: (v: string) => word(t.clock, v) },
        {
          title: t.case.state,
          dataIndex: 'state',
          render: (v: Clock['state'], row) => (
            <Space>
              <Tag color={v === 'running' ? 'blue' : v === 'paused' ? 'gold' : 'default'}>
                {t.clockState[v]}
              </Tag>
              {row.breachedAt ? <Tag color="red">{t.case.breached}</Tag> : null}
            </Space>
          ),
        },
        { title: t.case.deadline, dataIndex: 'deadline', render: (v: string | null) => beijing(v, locale) },
        {
          title: t.case.remaining,
          key: 'remaining',
          render: (_: unknown, row) =>
            row.state === 'running' ? <Countdown deadline={row.deadline} /> : '—',
        },
      ]}
    />
  )
}

/** SLA escalations from the case view, placed among the decisions and notices by time. */
function escalations(view: ServiceRequest, t: Catalogue, locale: Locale): RecordExtra[] {
  return view.escalations.map((e) => ({
    at: e.at,
    colour: e.kind === 'breach' ? 'red' : 'orange',
    node: (
      <Typography.Text type={e.kind === 'breach' ? 'danger' : 'warning'}>
        {t.case.escalations}: {word(t.clock, e.clock)} · {e.kind} L{e.level} →{' '}
        {e.notified.map((r) => word(t.role, r)).join('、')} · {beijing(e.at, locale)}
      </Typography.Text>
    ),
  }))
}

/** A refusal in the reader's language, from its code and parameters (../problem.tsx). */
export { ProblemAlert }

function StepForm({ caseId, step, onDone }: { caseId: string; step: Step; onDone: () => Promise<void> }) {
  const { t, locale } = useI18n()
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  const [form] = Form.useForm()

  const submit = async (values: Record<string, unknown>) => {
    setBusy(true)
    setProblem(null)
    const params = { path: { caseId } }
    const result =
      step === 'contact'
        ? await api.POST('/service-requests/{caseId}/contact', { params, body: contactBody(values) })
        : step === 'classify'
          ? await api.POST('/service-requests/{caseId}/classify', { params, body: classifyBody(values) })
          : step === 'dispatch'
            ? await api.POST('/service-requests/{caseId}/dispatch', { params, body: dispatchBody(values) })
            : step === 'arrive'
              ? await api.POST('/service-requests/{caseId}/arrival', { params, body: contactBody(values) })
              : await api.POST('/service-requests/{caseId}/check-in', { params, body: checkInBody(values) })
    setBusy(false)
    if (!result.error) return onDone()
    const refusal = result.error as Problem
    setProblem(refusal)
    // A refusal naming a field of this form is shown beside that field too.
    const known = new Set(Object.keys(form.getFieldsValue()))
    form.setFields(
      fieldErrors(refusal, locale)
        .map((f) => ({ name: String(f.name[0]), errors: f.errors }))
        .filter((f) => known.has(f.name)),
    )
  }

  return (
    <Card type="inner" size="small" title={word(t.action, step)} data-testid={`step-${step}`}>
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        initialValues={{ warranty: 'in', paid: false }}
      >
        <StepFields step={step} t={t} />
        {problem ? (
          <div style={{ marginBottom: 12 }}>
            <ProblemAlert problem={problem} />
          </div>
        ) : null}
        <Button type="primary" htmlType="submit" loading={busy} data-testid={`submit-${step}`}>
          {t.case.submit}
        </Button>
      </Form>
    </Card>
  )
}

function StepFields({ step, t }: { step: Step; t: Catalogue }) {
  if (step === 'checkIn')
    return (
      <>
        <Form.Item name="siteSituation" label={t.fields.siteSituation}>
          <Input.TextArea rows={2} data-testid="field-siteSituation" />
        </Form.Item>
        <Form.Item name="lodging" label={t.fields.lodging}>
          <Input data-testid="field-lodging" />
        </Form.Item>
        <Form.Item name="phone" label={t.fields.phone}>
          <Input type="tel" data-testid="field-phone" />
        </Form.Item>
      </>
    )
  if (step === 'contact' || step === 'arrive')
    return (
      <Form.Item name="note" label={t.fields.note}>
        <Input.TextArea rows={2} data-testid="field-note" />
      </Form.Item>
    )
  if (step === 'classify')
    return (
      <>
        <Form.Item name="severity" label={t.fields.severity}>
          <Radio.Group
            data-testid="field-severity"
            options={(['A', 'B', 'C'] as const).map((s) => ({ value: s, label: t.severity[s] }))}
          />
        </Form.Item>
        <Form.Item name="reason" label={t.fields.reason}>
          <Input data-testid="field-reason" />
        </Form.Item>
        <Form.Item name="warranty" label={t.fields.warranty}>
          <Radio.Group
            options={[
              { value: 'in', label: t.fields.warrantyIn },
              { value: 'out', label: t.fields.warrantyOut },
            ]}
          />
        </Form.Item>
        <Form.Item name="paid" label={t.fields.paid} valuePropName="checked">
          <Switch data-testid="field-paid" />
        </Form.Item>
        <Form.Item name="paidReason" label={t.fields.paidReason}>
          <Input data-testid="field-paidReason" />
        </Form.Item>
      </>
    )
  return (
    <>
      <Form.Item name="engineer" label={t.fields.engineer}>
        <Input data-testid="field-engineer" />
      </Form.Item>
      <Form.Item name="expectedArrival" label={t.fields.expectedArrival}>
        <Input type="datetime-local" data-testid="field-expectedArrival" />
      </Form.Item>
      <Form.Item name="overtimeReason" label={t.fields.overtimeReason}>
        <Input data-testid="field-overtimeReason" />
      </Form.Item>
    </>
  )
}

// Form values → request bodies. The API validates; nothing is checked here that it checks.
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)
const contactBody = (v: Record<string, unknown>) => ({ ...(text(v.note) ? { note: text(v.note) } : {}) })
const classifyBody = (v: Record<string, unknown>) => ({
  severity: v.severity as 'A' | 'B' | 'C',
  reason: text(v.reason) ?? '',
  warranty: v.warranty as 'in' | 'out',
  paid: Boolean(v.paid),
  ...(text(v.paidReason) ? { paidReason: text(v.paidReason) } : {}),
})
const checkInBody = (v: Record<string, unknown>) => ({
  siteSituation: text(v.siteSituation) ?? '',
  lodging: text(v.lodging) ?? '',
  phone: text(v.phone) ?? '',
})
const dispatchBody = (v: Record<string, unknown>) => {
  const arrival = text(v.expectedArrival)
  return {
    engineers: [
      { userId: text(v.engineer) ?? '', expectedArrival: arrival ? new Date(arrival).toISOString() : '' },
    ],
    ...(text(v.overtimeReason) ? { overtimeApproval: { reason: text(v.overtimeReason)! } } : {}),
  }
}
