// A return request: header, the application window (RX-01), clocks, the steps waiting for me as
// forms, and the record.
import { Card, Descriptions, Space, Tag } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api, type components, type Problem } from '../api'
import type { Me } from '../app'
import { ActionsCard, CaseRecord, TemporalLink, useCaseActions, usePolling } from '../case-parts'
import { beijing } from '../countdown'
import { useI18n, word } from '../i18n'
import { useWords } from '../words'
import { ProblemAlert } from '../problem'
import { Clocks } from './case'

type ReturnView = components['schemas']['ReturnRequestForRole']

export function ReturnPage({ caseId, me }: { caseId: string; me: Me }) {
  const { t, locale } = useI18n()
  const w = useWords()
  const [view, setView] = useState<ReturnView | null>(null)
  const [failure, setFailure] = useState<Problem | null>(null)
  const { actions, loadActions } = useCaseActions(caseId)

  const load = useCallback(async () => {
    const [found] = await Promise.all([
      api.GET('/returns/{caseId}', { params: { path: { caseId } } }),
      loadActions(),
    ])
    if (found.data) setView(found.data as ReturnView)
    else setFailure((found.error as Problem) ?? null)
  }, [caseId, loadActions])
  usePolling(load)
  useEffect(() => {
    document.title = `${caseId} · ${t.app.title}`
  }, [caseId, t])

  if (failure) return <ProblemAlert problem={failure} />
  if (!view) return <Card loading />
  const { intake, applicationWindow: window } = view
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <a href="#/returns">← {w.nav.returns}</a>
      <Card
        title={
          <Space wrap>
            <span data-testid="case-number">{view.caseId}</span>
            <Tag color="processing" data-testid="case-status">
              {word(t.status, view.status)}
            </Tag>
            {window?.late ? <Tag color="red">RX-01</Tag> : null}
          </Space>
        }
        extra={<TemporalLink me={me} caseId={caseId} />}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={t.case.received}>{beijing(view.receivedAt, locale)}</Descriptions.Item>
          <Descriptions.Item label={t.case.customer}>
            {intake.customer.name} {intake.customer.phone}
          </Descriptions.Item>
          <Descriptions.Item label={t.case.product}>
            {intake.order.orderNumber} / {intake.order.productModel}
          </Descriptions.Item>
          <Descriptions.Item label={t.case.description} span={2}>
            {intake.reason}（{intake.requested}）
          </Descriptions.Item>
          {window ? (
            <Descriptions.Item label="RX-01">
              {window.receivedOn} → {window.lastDay}
              {window.lastDayEstimated ? ' *' : ''}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      <Card title={w.caseCommon.clocks}>
        <Clocks clocks={view.clocks} />
      </Card>
      <ActionsCard prefix="/returns" caseId={caseId} actions={actions} onDone={load} />
      <CaseRecord prefix="/returns" caseId={caseId} stamp={JSON.stringify(view)} />
    </Space>
  )
}
