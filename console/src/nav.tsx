// The console's menu: my tasks, the lists, intake and the operator pages. Every page is reachable
// by everyone signed in; the API answers what the reader may see (a refused list says why).
import { Menu } from 'antd'
import type { Me } from './app'
import { useWords } from './words'

export function Nav({ me, route }: { me: Me; route: string[] }) {
  const w = useWords()
  const items = [
    { key: 'tasks', label: <a href="#/tasks">{w.nav.tasks}</a> },
    { key: 'intake', label: <a href="#/intake">{w.nav.intake}</a> },
    { key: 'service-requests', label: <a href="#/service-requests">{w.nav.serviceRequests}</a> },
    { key: 'complaints', label: <a href="#/complaints">{w.nav.complaints}</a> },
    { key: 'returns', label: <a href="#/returns">{w.nav.returns}</a> },
    ...(me.roles.includes('operator') || me.roles.includes('quality_manager')
      ? [
          { key: 'ops/notices', label: <a href="#/ops/notices">{w.nav.notices}</a> },
          { key: 'ops/audit', label: <a href="#/ops/audit">{w.nav.audit}</a> },
          { key: 'ops/staff', label: <a href="#/ops/staff">{w.nav.staff}</a> },
        ]
      : []),
  ]
  const current = route[0] === 'ops' ? `ops/${route[1]}` : (route[0] ?? 'tasks')
  return <Menu mode="horizontal" selectedKeys={[current]} items={items} style={{ paddingInline: 16 }} />
}
