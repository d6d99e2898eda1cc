// SV-03 `#/quality-issues/QI-…` (where the recurring-quality notice links): a product model whose
// product-quality services reached the policy's threshold in a month, the QA department's (or the
// quality manager's) analysis — causes, quality control points, the rectification and its due
// date — and the verification of the rectification (not effective: analysed again). The step the
// issue waits for is offered to the roles the API names for it (x-roles); the API decides.
import { Alert, Button, Card, Descriptions, Form, Input, Radio, Space, Tag, Timeline } from 'antd'
import { useState } from 'react'
import { api, type Problem } from '../api'
import type { Me } from '../app'
import { beijing } from '../countdown'
import { useI18n, word } from '../i18n'
import { fieldErrors, ProblemAlert } from '../problem'
import { useWords } from '../words'
import { fill, say, useLoad, useMayCall } from './service-parts'

const statusColour: Record<string, string> = {
  awaiting_analysis: 'orange',
  awaiting_verification: 'blue',
  closed: 'green',
}

export function QualityIssuePage({ issueId, me }: { issueId: string; me: Me }) {
  const { t, locale } = useI18n()
  const w = useWords()
  const q = w.service.quality
  const issue = useLoad(
    () => api.GET('/quality-issues/{issueId}', { params: { path: { issueId } } }),
    [issueId],
  )
  const step =
    issue.data?.status === 'awaiting_analysis'
      ? 'analysis'
      : issue.data?.status === 'awaiting_verification'
        ? 'verification'
        : null
  const may = useMayCall('post', `/quality-issues/{issueId}/${step ?? 'analysis'}`, me)
  const data = issue.data

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={<span data-testid="quality-title">{fill(q.title, { id: issueId })}</span>}>
        {issue.problem ? <ProblemAlert problem={issue.problem} /> : null}
        {data ? (
          <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={q.status}>
              <Tag color={statusColour[data.status]} data-testid="quality-status">
                {say(q.statuses, data.status)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={q.model}>{data.model}</Descriptions.Item>
            <Descriptions.Item label={q.month}>
              <a href={`#/reports/monthly/${data.month}`}>{fill(q.monthly, { month: data.month })}</a>
            </Descriptions.Item>
            <Descriptions.Item label={q.count}>{data.count}</Descriptions.Item>
            <Descriptions.Item label={q.threshold}>{data.threshold}</Descriptions.Item>
            <Descriptions.Item label={q.openedAt}>{beijing(data.openedAt, locale)}</Descriptions.Item>
          </Descriptions>
        ) : null}
      </Card>

      {data && step && may ? (
        step === 'analysis' ? (
          <AnalysisForm issueId={issueId} onDone={issue.reload} />
        ) : (
          <VerificationForm issueId={issueId} onDone={issue.reload} />
        )
      ) : null}

      {data && (data.analyses.length || data.verification) ? (
        <Card title={q.analyses}>
          <Timeline
            data-testid="quality-record"
            items={[
              ...data.analyses.map((a) => ({
                color: 'blue',
                children: (
                  <>
                    <div>
                      <strong>{q.analysis}</strong> · {beijing(a.at, locale)} · {a.by.userId}（
                      {word(t.role, a.by.role)}）
                    </div>
                    <div>
                      {q.causes}：{a.data.causes}
                    </div>
                    <div>
                      {q.controlPoints}：{a.data.controlPoints.join('；')}
                    </div>
                    <div>
                      {q.rectification}：{a.data.rectification}（{q.dueBy} {beijing(a.data.dueBy, locale)}）
                    </div>
                  </>
                ),
              })),
              ...(data.verification
                ? [
                    {
                      color: data.verification.data.effective ? 'green' : 'red',
                      children: (
                        <>
                          <div>
                            <strong>{q.verified}</strong> · {beijing(data.verification.at, locale)} ·{' '}
                            {data.verification.by.userId}（{word(t.role, data.verification.by.role)}）
                          </div>
                          <div>
                            {data.verification.data.effective ? q.effective : q.notEffective}：
                            {data.verification.data.result}
                          </div>
                        </>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      ) : null}
    </Space>
  )
}

function useStep(onDone: () => Promise<void>) {
  const { locale } = useI18n()
  const [form] = Form.useForm()
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  const run = async (call: () => Promise<{ error?: unknown }>) => {
    setBusy(true)
    setProblem(null)
    const { error } = await call()
    setBusy(false)
    if (!error) return onDone()
    setProblem(error as Problem)
    form.setFields(fieldErrors(error as Problem, locale))
  }
  return { form, problem, busy, run }
}

function AnalysisForm({ issueId, onDone }: { issueId: string; onDone: () => Promise<void> }) {
  const w = useWords()
  const q = w.service.quality
  const { form, problem, busy, run } = useStep(onDone)
  const submit = (v: { causes?: string; controlPoints?: string; rectification?: string; dueBy?: string }) =>
    run(() =>
      api.POST('/quality-issues/{issueId}/analysis', {
        params: { path: { issueId } },
        body: {
          causes: v.causes ?? '',
          controlPoints: (v.controlPoints ?? '')
            .split('\n')
            .map((p) => p.trim())
            .filter(Boolean),
          rectification: v.rectification ?? '',
          // A date as the end of that day in Beijing time.
          dueBy: v.dueBy ? `${v.dueBy}T23:59:59+08:00` : '',
        },
      }),
    )
  return (
    <Card title={q.analysis} data-testid="step-analysis">
      <Alert type="info" showIcon title={q.analysisHint} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="causes" label={q.causes} required>
          <Input.TextArea rows={3} data-testid="field-causes" />
        </Form.Item>
        <Form.Item name="controlPoints" label={q.controlPoints} extra={q.controlPointsHint} required>
          <Input.TextArea rows={3} data-testid="field-controlPoints" />
        </Form.Item>
        <Form.Item name="rectification" label={q.rectification} required>
          <Input.TextArea rows={3} data-testid="field-rectification" />
        </Form.Item>
        <Form.Item name="dueBy" label={q.dueBy} required>
          <Input type="date" data-testid="field-dueBy" style={{ width: 200 }} />
        </Form.Item>
        {problem ? <ProblemAlert problem={problem} /> : null}
        <Button
          type="primary"
          htmlType="submit"
          loading={busy}
          data-testid="submit-analysis"
          style={{ marginTop: 12 }}
        >
          {w.form.submit}
        </Button>
      </Form>
    </Card>
  )
}

function VerificationForm({ issueId, onDone }: { issueId: string; onDone: () => Promise<void> }) {
  const w = useWords()
  const q = w.service.quality
  const { form, problem, busy, run } = useStep(onDone)
  const submit = (v: { effective?: boolean; result?: string }) =>
    run(() =>
      api.POST('/quality-issues/{issueId}/verification', {
        params: { path: { issueId } },
        body: { effective: v.effective as boolean, result: v.result ?? '' },
      }),
    )
  return (
    <Card title={q.verification} data-testid="step-verification">
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="effective" label={q.verification} required>
          <Radio.Group data-testid="field-effective">
            <Radio value={true}>{q.effective}</Radio>
            <Radio value={false}>{q.notEffective}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="result" label={q.result} required>
          <Input.TextArea rows={3} data-testid="field-result" />
        </Form.Item>
        {problem ? <ProblemAlert problem={problem} /> : null}
        <Button
          type="primary"
          htmlType="submit"
          loading={busy}
          data-testid="submit-verification"
          style={{ marginTop: 12 }}
        >
          {w.form.submit}
        </Button>
      </Form>
    </Card>
  )
}
