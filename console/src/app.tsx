// The console's frame: who is signed in, the language (zh-CN first, English on request),
// and which page the hash names.
import { App as AntApp, Button, ConfigProvider, Layout, Space, Spin, Tag, Typography } from 'antd'
import enUS from 'antd/locale/en_US'
import zh_CN from 'antd/locale/zh_CN'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { api } from './api'
import { catalogues, I18n, word, type Locale } from './i18n'
import { CasePage } from './pages/case'
import { SignIn } from './pages/sign-in'
import { TasksPage } from './pages/tasks'
import { go, useRoute } from './router'

export type Me = {
  userId: string
  name: string | null
  roles: string[]
  unitId: string | null
  unitName: string | null
  locale: string | null
}

const storedLocale = (): Locale | null => {
  const value = window.localStorage.getItem('console.locale')
  return value === 'en' || value === 'zh-CN' ? value : null
}

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
    const { data } = await api.GET('/me')
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
    await api.POST('/sign-out')
    setMe(null)
    go('')
  }

  let page
  if (me === undefined) page = <Spin />
  else if (me === null) page = <SignIn onSignedIn={loadMe} />
  else if (route[0] === 'service-requests' && route[1]) page = <CasePage caseId={route[1]} me={me} />
  else page = <TasksPage />

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
            <Layout.Content style={{ padding: 16, maxWidth: 1200, width: '100%', margin: '0 auto' }}>
              {page}
            </Layout.Content>
          </Layout>
        </I18n.Provider>
      </AntApp>
    </ConfigProvider>
  )
}
