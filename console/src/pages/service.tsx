// The routes of the pages for key-account callbacks (CU-04), reports (SV-02, SV-04, SV-05),
// quality issues (SV-03) and survey campaigns (SV-01); the frame (app.tsx) asks here first.
//   #/callbacks                       the callbacks waiting for me, the key accounts
//   #/customers/CU-…/callbacks        a key account's callbacks (a callback notice's link)
//   #/reports/monthly[/YYYY-MM]       a month's statistics (the monthly notice's link)
//   #/reports/indicators?from&to&unit the GB/T 27922 indicators of a period
//   #/reports/satisfaction[/YYYY]     the annual satisfaction analysis
//   #/quality-issues/QI-…             a recurring quality problem (its notice's link)
//   #/surveys[/SV-YYYY-n]             survey campaigns
import type { ReactElement } from 'react'
import type { Me } from '../app'
import { routeQuery } from '../router'
import { MyCallbacksPage, CallbacksPage } from './callbacks'
import { QualityIssuePage } from './quality-issue'
import { beijingMonth, IndicatorsPage, MonthlyReportPage } from './reports'
import { SatisfactionPage } from './satisfaction'
import { SurveyPage, SurveysPage } from './surveys'

export function servicePage(route: string[], me: Me): ReactElement | null {
  const [first, second, third] = route.map((part) => part.split('?')[0]!)
  const query = routeQuery()
  const param = (name: string) => query.get(name) || undefined
  if (first === 'callbacks') return <MyCallbacksPage />
  if (first === 'customers' && second && third === 'callbacks')
    return <CallbacksPage key={second} customerId={second} me={me} />
  if (first === 'quality-issues' && second) return <QualityIssuePage key={second} issueId={second} me={me} />
  if (first === 'surveys' && second) return <SurveyPage key={second} campaignId={second} me={me} />
  if (first === 'surveys') return <SurveysPage me={me} />
  if (first !== 'reports') return null
  if (second === 'monthly')
    return <MonthlyReportPage month={third || beijingMonth(-1)} unit={param('unit')} />
  if (second === 'indicators')
    return <IndicatorsPage from={param('from')} to={param('to')} unit={param('unit')} />
  if (second === 'satisfaction')
    return <SatisfactionPage year={third || String(Number(beijingMonth().slice(0, 4)) - 1)} me={me} />
  return <MonthlyReportPage month={beijingMonth(-1)} />
}
