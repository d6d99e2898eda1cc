// A complaint, appeal, consultation or inquiry: header, clocks, who is recused (CP-09) and the
// refused attempts, the investigation, the steps waiting for me as forms, and the record.
import { Card, Descriptions, Space, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api, type components, type Problem } from '../api'
import type { Me } from '../app'
import { ActionsCard, CaseRecord, TemporalLink, useCaseActions, usePolling } from '../case-parts'
import { beijing } from '../countdown'
import { word as shared } from '../../../domain/i18n'
import { useI18n, word } from '../i18n'
import { useWords } from '../words'
import { ProblemAlert } from '../problem'
import { Clocks } from './case'

type ComplaintView = components['schemas']['ComplaintForRole']

export function ComplaintPage({ caseId, me }: { caseId: string; me: Me }) {
  const { t, locale } = useI18n()
  const w = useWords()
  const [view, setView] = useState<ComplaintView | null>(null)
  const [failure, setFailure] = useState<Problem | null>(null)
  const { actions, loadActions } = useCaseActions(caseId)

  const load = useCallback(async () => {
    const [found] = await Promise.all([
      api.GET('/complaints/{caseId}', { params: { path: { caseId } } }),
      loadActions(),
    ])
    if (found.data) setView(found.data as ComplaintView)
    else setFailure((found.error as Problem) ?? null)
  }, [caseId, loadActions])
  usePolling(load)
  useEffect(() => {
    document.title = `${caseId} · ${t.app.title}`
  }, [caseId, t])

  if (failure) return <ProblemAlert problem={failure} />
  if (!view) return <Card loading />
  const { intake } = view
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <a href="#/complaints">← {w.nav.complaints}</a>
      <Card
        title={
          <Space wrap>
            <span data-testid="case-number">{view.caseId}</span>
            <Tag color={view.closedAt ? 'default' : 'processing'} data-testid="case-status">
              {word(t.status, view.status)}
            </Tag>
            {view.severity ? (
              <Tag color={view.severity === 'major' ? 'red' : 'blue'}>{view.severity}</Tag>
            ) : null}
            {view.slaBreached ? <Tag color="red">{t.case.breached}</Tag> : null}
          </Space>
        }
        extra={<TemporalLink me={me} caseId={caseId} />}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={w.complaint.kind}>{intake.kind}</Descriptions.Item>
          <Descriptions.Item label={t.case.received}>{beijing(view.receivedAt, locale)}</Descriptions.Item>
          <Descriptions.Item label={t.case.customer}>
            {intake.complainant.name} {intake.complainant.phone}
          </Descriptions.Item>
          <Descriptions.Item label={t.case.description} span={3}>
            {intake.text}
          </Descriptions.Item>
          {view.routing ? (
            <Descriptions.Item label={w.complaint.investigator}>
              {view.routing.data.investigator}（{word(t.role, view.routing.data.role)}）
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      <Card title={w.complaint.excluded} data-testid="exclusions">
        {view.independence.exclusions.length === 0 ? (
          <Typography.Text type="secondary">{w.complaint.noExclusions}</Typography.Text>
        ) : (
          <Space wrap>
            {view.independence.exclusions.map((e) => (
              <Tag key={e.userId} color="volcano">
                {e.userId} {shared(locale, 'exclusion', e.reason)}
              </Tag>
            ))}
          </Space>
        )}
        {view.independence.refusals.length ? (
          <Table
            style={{ marginTop: 12 }}
            size="small"
            pagination={false}
            rowKey={(r) => `${r.at}:${r.userId}`}
            dataSource={view.independence.refusals}
            title={() => w.complaint.refusals}
            columns={[
              { title: w.ops.who, dataIndex: 'userId' },
              { title: w.ops.what, dataIndex: 'action', render: (v: string) => word(t.action, v) },
              { title: w.ops.when, dataIndex: 'at', render: (v: string) => beijing(v, locale) },
            ]}
          />
        ) : null}
      </Card>
      <Card title={w.caseCommon.clocks}>
        <Clocks clocks={view.clocks} />
      </Card>
      <ActionsCard prefix="/complaints" caseId={caseId} actions={actions} onDone={load} />
      <CaseRecord prefix="/complaints" caseId={caseId} stamp={JSON.stringify(view)} />
    </Space>
  )
}
