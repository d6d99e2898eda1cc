// One step waiting for me, as a form drawn from the step route's body schema in /openapi.json.
// The API's refusal (403/409/422) is shown beside the step, and beside the fields it names.
import { Alert, Button, Card, Form, Spin } from 'antd'
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
  onDone: () => Promise<void>
}) {
  const { prefix, caseId, action, onDone } = props
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

  return (
    <Card
      type="inner"
      size="small"
      title={word(t.action, action)}
      extra={<span style={{ color: '#666' }}>{operation.summary}</span>}
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
