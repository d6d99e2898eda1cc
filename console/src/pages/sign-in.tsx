// Development sign-in: the directory's staff, one button each (the API offers it outside
// production only; with an identity provider this page is replaced by its login).
import { Alert, Button, Card, List, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { api, problemCode } from '../api'
import { useI18n, word } from '../i18n'

type Person = { userId: string; name: string; roles: string[]; unitName: string | null }

export function SignIn({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const { t } = useI18n()
  const [staff, setStaff] = useState<Person[]>([])
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    void api.GET('/dev/sign-in').then(({ data, response }) => {
      if (data) setStaff(data.items)
      else setError(`${response.status}`)
    })
  }, [])

  const signIn = async (userId: string) => {
    const { error: problem } = await api.POST('/dev/sign-in', { body: { userId } })
    if (problem) setError(word(t.problem, problemCode(problem)))
    else await onSignedIn()
  }

  return (
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
  )
}
