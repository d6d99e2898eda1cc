// One step I may take, as a form drawn from the step route's body schema in /openapi.json.
// The API's refusal (403/409/422) is shown beside the step, and beside the fields it names. The
// header names the rules the route's summary cites (SR-15 → 服务验收) in the reader's language,
// not the summary's English prose; a step the case accepts but does not wait for is marked so.
import { Alert, Button, Card, Form, Space, Spin, Tag, Tooltip } from 'antd'
import { useEffect, useState } from 'react'
import { send, type Problem } from './api'
import { useI18n, word } from './i18n'
import { stepOperation, type StepOperation } from './openapi'
import { fieldErrors, ProblemAlert } from './problem'
import { SchemaFields, toBody } from './schema-form'
import { useWords } from './words'

export function StepCard(props: {
  prefix: string
  caseId: string
  action: string
  /** Accepted now but not waited for (not in the task inbox). */
  optional?: boolean
  onDone: () => Promise<void>
}) {
  const { prefix, caseId, action, optional, onDone } = props
  const { t, locale } = useI18n()
  const w = useWords()
  const [operation, setOperation] = useState<StepOperation | null | undefined>(undefined)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  const [form] = Form.useForm()

  useEffect(() => {
    void stepOperation(prefix, action).then(setOperation)
  }, [prefix, action])

  if (operation === undefined) return <Spin />
  if (operation === null) return <Alert type="info" title={word(t.action, action)} />

  const submit = async (values: unknown) => {
    setBusy(true)
    setProblem(null)
    const path = operation.path.replace('{caseId}', encodeURIComponent(caseId))
    const result = await send('POST', path, toBody(values, operation.body) ?? {})
    setBusy(false)
    if (!result.error) return onDone()
    setProblem(result.error)
    // A refusal naming a field of this form is shown beside that field too.
    form.setFields(fieldErrors(result.error, locale))
  }

  const rules = citedRules(operation.summary, t.rule)
  return (
    <Card
      type="inner"
      size="small"
      // Wraps on a phone instead of cutting the rule names off.
      styles={{ title: { whiteSpace: 'normal' } }}
      title={
        <Space wrap size={[8, 4]}>
          <span>{word(t.action, action)}</span>
          {rules.map(([id, name]) => (
            <Tag key={id} data-testid={`step-${action}-rule`}>
              {id} {name}
            </Tag>
          ))}
          {optional ? (
            <Tooltip title={t.case.optionalHint}>
              <Tag color="blue" data-testid={`step-${action}-optional`}>
                {t.case.optional}
              </Tag>
            </Tooltip>
          ) : null}
        </Space>
      }
      data-testid={`step-${action}`}
    >
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <SchemaFields schema={operation.body} testPrefix={`${action}`} />
        {problem ? (
          <div style={{ marginBottom: 12 }}>
            <ProblemAlert problem={problem} />
          </div>
        ) : null}
        <Button type="primary" htmlType="submit" loading={busy} data-testid={`submit-${action}`}>
          {w.form.submit}
        </Button>
      </Form>
    </Card>
  )
}

/** The rule IDs a route summary cites that the catalogue names, with their names, in order. */
export function citedRules(summary: string | undefined, names: Record<string, string>): [string, string][] {
  const ids = [...new Set(summary?.match(/\b[A-Z]{2,3}-\d{2}\b/g) ?? [])]
  return ids.filter((id) => names[id]).map((id) => [id, names[id]!])
}
