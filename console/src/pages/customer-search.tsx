// Search by customer: the customers whose name or phone matches, each with their service history
// (the cases linked to them), as GET /customers and GET /customers/{id} give them; each opens its
// record's page (#/customers/CU-…), each case its own.
import { Alert, List, Tag } from 'antd'
import { useEffect, useState } from 'react'
import { api, send } from '../api'
import { useI18n, word } from '../i18n'
import { consolePage, go } from '../router'
import { useWords } from '../words'

const pages: Record<string, string> = { SR: 'service-requests', CP: 'complaints', RX: 'returns' }

/** A case number opens its page; says whether the text was one. */
export function openCaseNumber(text: string): boolean {
  const value = text.trim().toUpperCase()
  if (!/^(SR|CP|RX)-\d{8}-\d{4,}$/.test(value)) return false
  go(`${pages[value.slice(0, 2)]}/${value}`)
  return true
}

type Customer = { id: string; name: string; history?: { caseId: string; caseType: string; status: string }[] }

export function CustomerSearch({ text }: { text: string }) {
  const { t } = useI18n()
  const w = useWords()
  const [found, setFound] = useState<Customer[] | null>(null)
  const [refused, setRefused] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    void (async () => {
      const byPhone = /^[+\d][\d\s-]{2,}$/.test(text)
      const { data, error } = await api.GET('/customers', {
        params: { query: byPhone ? { phone: text, limit: 10 } : { q: text, limit: 10 } },
      })
      if (!live) return
      if (error)
        return setRefused(
          `${(error as { status?: number }).status ?? ''} ${(error as { detail?: string }).detail ?? ''}`,
        )
      const withHistory = await Promise.all(
        (data?.items ?? []).map(async (c) => {
          const one = await send('GET', `/customers/${encodeURIComponent(c.id)}`)
          return (one.data as Customer | undefined) ?? { id: c.id, name: c.name }
        }),
      )
      if (live) setFound(withHistory)
    })()
    return () => {
      live = false
    }
  }, [text])

  if (refused) return <Alert type="warning" title={refused} />
  if (found === null) return null
  return (
    <List
      header={w.lists.customers}
      bordered
      size="small"
      locale={{ emptyText: w.lists.noCustomer }}
      dataSource={found}
      data-testid="customer-results"
      renderItem={(c) => (
        <List.Item>
          <List.Item.Meta
            title={
              <a href={`#/customers/${c.id}`} data-testid={`customer-${c.id}`}>{`${c.name}（${c.id}）`}</a>
            }
            description={(c.history ?? []).map((h) => {
              const page = consolePage(h.caseId)
              return (
                <Tag key={h.caseId}>
                  {page ? <a href={`#/${page}`}>{h.caseId}</a> : h.caseId} · {word(t.status, h.status)}
                </Tag>
              )
            })}
          />
        </List.Item>
      )}
    />
  )
}
