// Signing in: with the company's identity provider (OpenID Connect, when the API has one), and
// outside production the development list of the directory's staff, one button each. A sign-in
// that came back refused (`#/sign-in/<reason>`) says why.
import { Alert, Button, Card, List, Space, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { api, problemCode, send } from '../api'
import { useI18n, word } from '../i18n'
import { useWords } from '../words'

type Person = { userId: string; name: string; roles: string[]; unitName: string | null }

export function SignIn({ onSignedIn, failure }: { onSignedIn: () => Promise<void>; failure?: string }) {
  const { t } = useI18n()
  const w = useWords()
  const [methods, setMethods] = useState<{ oidc: boolean; dev: boolean } | null>(null)
  const [staff, setStaff] = useState<Person[]>([])
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    void send('GET', '/auth/methods').then(async ({ data }) => {
      const found = (data as { oidc: boolean; dev: boolean } | undefined) ?? { oidc: false, dev: true }
      setMethods(found)
      if (!found.dev) return
      const list = await api.GET('/dev/sign-in')
      if (list.data) setStaff(list.data.items)
    })
  }, [])

  const signIn = async (userId: string) => {
    const { error: problem } = await api.POST('/dev/sign-in', { body: { userId } })
    if (problem) setError(word(t.problem, problemCode(problem)))
    else await onSignedIn()
  }
  // After sign-in the console comes back to the page that was asked for.
  const returnTo = window.location.hash.startsWith('#/sign-in')
    ? '#/tasks'
    : window.location.hash || '#/tasks'

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {failure ? (
        <Alert
          type="error"
          showIcon
          data-testid="sign-in-failure"
          title={`${w.signIn.failed}: ${word(t.problem, failure)}`}
        />
      ) : null}
      {methods?.oidc ? (
        <Card title={w.signIn.company}>
          <Typography.Paragraph type="secondary">{w.signIn.companyHint}</Typography.Paragraph>
          <Button
            type="primary"
            href={`/auth/login?returnTo=${encodeURIComponent(returnTo)}`}
            data-testid="sign-in-oidc"
          >
            {w.signIn.company}
          </Button>
        </Card>
      ) : null}
      {methods?.dev ? (
        <Card title={t.signIn.title}>
          <Typography.Paragraph type="secondary">{t.signIn.hint}</Typography.Paragraph>
          {error ? <Alert type="error" title={error} showIcon style={{ marginBottom: 12 }} /> : null}
          <List
            dataSource={staff}
            renderItem={(p) => (
              <List.Item
                actions={[
                  <Button
                    key="in"
                    type="primary"
                    data-testid={`sign-in-${p.userId}`}
                    onClick={() => void signIn(p.userId)}
                  >
                    {t.signIn.as}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={`${p.name}（${p.userId}）`}
                  description={
                    <>
                      {p.unitName ?? t.signIn.orgWide}{' '}
                      {p.roles.map((r) => (
                        <Tag key={r}>{word(t.role, r)}</Tag>
                      ))}
                    </>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      ) : null}
    </Space>
  )
}
