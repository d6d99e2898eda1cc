// Intake: a service request, a complaint (appeal, consultation, inquiry) or a return, each form
// drawn from its route's body schema, offered to the roles the route names (`x-roles`). The
// answer gives the case number and its first deadline at once.
import { Alert, Button, Card, Descriptions, Form, Space, Spin, Tabs } from 'antd'
import { useEffect, useState } from 'react'
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

  useEffect(() => {
    void requestBody(path).then(setSchema)
  }, [path])

  if (!schema) return <Spin />
  const submit = async (values: unknown) => {
    setBusy(true)
    setProblem(null)
    const result = await send('POST', path, toBody(values, schema) ?? {})
    setBusy(false)
    if (result.error) {
      setProblem(result.error)
      form.setFields(fieldErrors(result.error, locale))
      return
    }
    setCreated(result.data as Created)
    form.resetFields()
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
        <SchemaFields schema={schema} testPrefix={kind} />
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
