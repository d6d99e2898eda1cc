// The console's frame: who is signed in, the language (zh-CN first, English on request),
// and which page the hash names.
import { App as AntApp, Button, ConfigProvider, Layout, Space, Spin, Tag, Typography } from 'antd'
import enUS from 'antd/locale/en_US'
import zh_CN from 'antd/locale/zh_CN'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { api } from './api'
import { catalogues, I18n, word, type Locale } from './i18n'
import { Nav } from './nav'
import { CaseListPage } from './pages/case-list'
import { CasePage } from './pages/case'
import { ComplaintPage } from './pages/complaint'
import { CustomerPage, CustomersPage, NewCustomerPage } from './pages/customer'
import { IntakePage } from './pages/intake'
import { AuditPage } from './pages/ops/audit'
import { NoticesPage } from './pages/ops/notices'
import { StaffPage } from './pages/ops/staff'
import { ReturnPage } from './pages/return'
import { servicePage } from './pages/service'
import { SignIn } from './pages/sign-in'
import { TasksPage } from './pages/tasks'
import { go, useRoute } from './router'
import { useWords } from './words'

export type Me = {
  userId: string
  name: string | null
  roles: string[]
  unitId: string | null
  unitName: string | null
  locale: string | null
  /** Where a case's workflow opens in the Temporal UI (then its case number). */
  temporalUi: string | null
}

const storedLocale = (): Locale | null => {
  const value = window.localStorage.getItem('console.locale')
  return value === 'en' || value === 'zh-CN' ? value : null
}

const fetchMe = () => api.GET('/me')
// Asked for as the console loads, not after its first render (the task page's tasks go out beside it).
let meAtStart: ReturnType<typeof fetchMe> | null = fetchMe()

export function App() {
  const [locale, setLocaleState] = useState<Locale>(() => storedLocale() ?? 'zh-CN')
  const [me, setMe] = useState<Me | null | undefined>(undefined)
  const route = useRoute()
  const t = catalogues[locale]

  const setLocale = useCallback((next: Locale) => {
    window.localStorage.setItem('console.locale', next)
    setLocaleState(next)
  }, [])
  const i18n = useMemo(() => ({ t, locale, setLocale }), [t, locale, setLocale])

  const loadMe = useCallback(async () => {
    const pending = meAtStart
    meAtStart = null
    const { data } = await (pending ?? fetchMe())
    setMe(data ?? null)
    if (data?.locale === 'en' && !storedLocale()) setLocaleState('en')
  }, [])
  useEffect(() => {
    void loadMe()
  }, [loadMe])

  useEffect(() => {
    document.documentElement.lang = locale
  }, [locale])

  const signOut = async () => {
    const { data } = await api.POST('/sign-out')
    // Signed in with the identity provider: its session ends too (it then sends the browser
    // back to `/`, the sign-in page). The development sign-in just shows the sign-in page.
    if (data?.endSessionUrl) return window.location.assign(data.endSessionUrl)
    setMe(null)
    go('')
  }

  let page
  if (me === undefined) page = <Spin />
  else if (me === null)
    page = <SignIn onSignedIn={loadMe} failure={route[0] === 'sign-in' ? route[1] : undefined} />
  else page = <Page route={route} me={me} />

  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zh_CN} theme={{ token: { colorPrimary: '#1d5fbf' } }}>
      <AntApp>
        <I18n.Provider value={i18n}>
          <Layout style={{ minHeight: '100vh' }}>
            <Layout.Header
              style={{
                display: 'flex',
                flexWrap: 'wrap',
                alignItems: 'center',
                gap: 8,
                background: '#0f2b52',
                // On a phone the user and the buttons wrap below the title instead of overflowing.
                height: 'auto',
                minHeight: 64,
                lineHeight: 1.5,
                padding: '12px 16px',
              }}
            >
              <a
                href="#/tasks"
                style={{ color: '#fff', fontSize: 18, fontWeight: 600, whiteSpace: 'nowrap' }}
              >
                {t.app.title}
              </a>
              <span style={{ flex: 1 }} />
              <Space wrap>
                {me ? (
                  <Typography.Text style={{ color: '#dfe8f5' }} data-testid="me">
                    {me.name ?? me.userId}
                    {me.unitName ? ` · ${me.unitName}` : ''}{' '}
                    {me.roles.map((r) => (
                      <Tag key={r} color="blue">
                        {word(t.role, r)}
                      </Tag>
                    ))}
                  </Typography.Text>
                ) : null}
                <Button
                  size="small"
                  onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}
                  data-testid="language"
                >
                  {t.app.language}
                </Button>
                {me ? (
                  <Button size="small" onClick={() => void signOut()}>
                    {t.app.signOut}
                  </Button>
                ) : null}
              </Space>
            </Layout.Header>
            {me ? <Nav me={me} route={route} /> : null}
            <Layout.Content style={{ padding: 16, maxWidth: 1200, width: '100%', margin: '0 auto' }}>
              {page}
            </Layout.Content>
          </Layout>
        </I18n.Provider>
      </AntApp>
    </ConfigProvider>
  )
}

/** The page the hash names (`#/complaints/CP-…`, `#/customers/CU-…`, `#/ops/notices`…); my tasks by default. */
function Page({ route, me }: { route: string[]; me: Me }) {
  const w = useWords()
  const [first, second] = route
  // Callbacks, reports, quality issues and surveys (pages/service.tsx).
  const service = servicePage(route, me)
  if (service) return service
  if (first === 'customers' && second === 'new') return <NewCustomerPage me={me} />
  if (first === 'customers' && second) return <CustomerPage key={second} customerId={second} me={me} />
  if (first === 'customers') return <CustomersPage me={me} />
  if (first === 'service-requests' && second) return <CasePage caseId={second} me={me} />
  if (first === 'complaints' && second) return <ComplaintPage caseId={second} me={me} />
  if (first === 'returns' && second) return <ReturnPage caseId={second} me={me} />
  if (first === 'service-requests')
    return <CaseListPage path="/service-requests" page="service-requests" title={w.nav.serviceRequests} />
  if (first === 'complaints')
    return <CaseListPage path="/complaints" page="complaints" title={w.nav.complaints} />
  if (first === 'returns') return <CaseListPage path="/returns" page="returns" title={w.nav.returns} />
  if (first === 'intake') return <IntakePage me={me} />
  if (first === 'ops' && second === 'notices') return <NoticesPage />
  if (first === 'ops' && second === 'audit') return <AuditPage />
  if (first === 'ops' && second === 'staff') return <StaffPage />
  return <TasksPage />
}
