// The console's menu: my tasks, the lists, intake, customers, key-account callbacks, the reports,
// survey campaigns and the operator pages. The lists and intake are there for everyone signed in
// (the API answers what the reader may see, and a refused list says why); customers, callbacks,
// reports and surveys for the roles the API lets read them (their routes' x-roles in
// /openapi.json: the menu repeats no role list of the API's).
import { Menu } from 'antd'
import { useEffect, useState } from 'react'
import type { Me } from './app'
import { routeRoles } from './openapi'
import { useWords } from './words'

/** The routes whose readers get a menu entry. */
const gates = {
  customers: '/customers',
  callbacks: '/customers/{customerId}/callbacks/{n}',
  reports: '/reports/monthly',
  surveys: '/survey-campaigns',
} as const
type Gate = keyof typeof gates

/** Which of the gated entries my roles may open, as the API declares its routes' readers. */
function useAllowed(me: Me): Record<Gate, boolean> {
  const [allowed, setAllowed] = useState<Record<Gate, boolean>>({
    customers: false,
    callbacks: false,
    reports: false,
    surveys: false,
  })
  useEffect(() => {
    let live = true
    void Promise.all(
      (Object.keys(gates) as Gate[]).map(async (gate) => {
        const method = gate === 'callbacks' ? 'post' : 'get'
        const roles = await routeRoles(method, gates[gate]).catch(() => null)
        const may = Array.isArray(roles) ? me.roles.some((r) => roles.includes(r)) : roles === 'authenticated'
        return [gate, may] as const
      }),
    ).then((entries) => {
      if (live) setAllowed(Object.fromEntries(entries) as Record<Gate, boolean>)
    })
    return () => {
      live = false
    }
  }, [me])
  return allowed
}

export function Nav({ me, route }: { me: Me; route: string[] }) {
  const w = useWords()
  const s = w.service.nav
  const allowed = useAllowed(me)
  const items = [
    { key: 'tasks', label: <a href="#/tasks">{w.nav.tasks}</a> },
    { key: 'intake', label: <a href="#/intake">{w.nav.intake}</a> },
    { key: 'service-requests', label: <a href="#/service-requests">{w.nav.serviceRequests}</a> },
    { key: 'complaints', label: <a href="#/complaints">{w.nav.complaints}</a> },
    { key: 'returns', label: <a href="#/returns">{w.nav.returns}</a> },
    ...(allowed.customers
      ? [
          {
            key: 'customers',
            label: (
              <a href="#/customers" data-testid="nav-customers">
                {w.customer.nav}
              </a>
            ),
          },
        ]
      : []),
    ...(allowed.callbacks
      ? [
          {
            key: 'callbacks',
            label: (
              <a href="#/callbacks" data-testid="nav-callbacks">
                {s.callbacks}
              </a>
            ),
          },
        ]
      : []),
    ...(allowed.reports
      ? [
          {
            key: 'reports',
            label: <span data-testid="nav-reports">{s.reports}</span>,
            children: [
              { key: 'reports/monthly', label: <a href="#/reports/monthly">{s.monthly}</a> },
              { key: 'reports/indicators', label: <a href="#/reports/indicators">{s.indicators}</a> },
              { key: 'reports/satisfaction', label: <a href="#/reports/satisfaction">{s.satisfaction}</a> },
            ],
          },
        ]
      : []),
    ...(allowed.surveys
      ? [
          {
            key: 'surveys',
            label: (
              <a href="#/surveys" data-testid="nav-surveys">
                {s.surveys}
              </a>
            ),
          },
        ]
      : []),
    ...(me.roles.includes('operator') || me.roles.includes('quality_manager')
      ? [
          { key: 'ops/notices', label: <a href="#/ops/notices">{w.nav.notices}</a> },
          { key: 'ops/audit', label: <a href="#/ops/audit">{w.nav.audit}</a> },
          { key: 'ops/staff', label: <a href="#/ops/staff">{w.nav.staff}</a> },
        ]
      : []),
  ]
  const [first, second, third] = route.map((part) => part.split('?')[0])
  const current =
    first === 'ops' || first === 'reports'
      ? `${first}/${second ?? 'monthly'}`
      : first === 'customers' && third === 'callbacks'
        ? 'callbacks'
        : (first ?? 'tasks')
  return <Menu mode="horizontal" selectedKeys={[current]} items={items} style={{ paddingInline: 16 }} />
}
