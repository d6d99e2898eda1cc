// Notice templates, timing and the recipient plan (domain/notices): pure, on plain data.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ComplaintKind } from '../../domain/complaint/intake'
import type { Person, Unit } from '../../domain/directory/types'
import {
  formatBeijing,
  isKnownTemplate,
  noticeTiming,
  planEntries,
  renderNotice,
  summarize,
  type PlanInput,
} from '../../domain/notices'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : []
  })
}

/** Every template name the case workflows pass to tell()/notify() today. */
function templatesInWorkflows(): string[] {
  const names = new Set<string>()
  for (const file of sources('workflows')) {
    if (file.includes(`${path.sep}delivery${path.sep}`)) continue
    const text = readFileSync(file, 'utf8')
    // The template argument of tell(key, to, template) or notify({ template }); refusal codes
    // such as refuse.input('calendar.invalid') share the naming but are not templates.
    for (const m of text.matchAll(
      /(?<!refuse\.(?:input|state|forbidden)\()'((?:service-request|return|complaint|corrective-action|calendar)\.[a-z-]+)'/g,
    ))
      names.add(m[1]!)
    // `complaint.${kind}-received` / `-answered` and `sla.${step.kind}`
    for (const m of text.matchAll(/`complaint\.\$\{[^}]*kind\}-([a-z]+)`/g))
      for (const kind of ComplaintKind.options) names.add(`complaint.${kind}-${m[1]}`)
    if (/`sla\.\$\{step\.kind\}`/.test(text)) ['sla.warning', 'sla.breach'].forEach((n) => names.add(n))
  }
  return [...names].sort()
}

const at = '2026-11-24T06:30:00.000Z' // 14:30 in Beijing

describe('notice templates', () => {
  it('cover every template the workflows use', () => {
    const used = templatesInWorkflows()
    expect(used.length).toBeGreaterThan(50)
    expect(used.filter((t) => !isKnownTemplate(t))).toEqual([])
  })

  it('SR-03 breach: case number, what happened, deadline in Beijing time and the case link (Chinese by default)', () => {
    const r = renderNotice(
      {
        key: 'SR-20261124-0007:firstContact:breach-1',
        caseId: 'SR-20261124-0007',
        template: 'sla.breach',
        data: { clock: 'firstContact', level: 1, dueAt: at },
      },
      { locale: 'zh-CN', audience: 'staff', publicUrl: 'https://console.example/' },
    )
    expect(r.subject).toContain('SR-20261124-0007')
    expect(r.text).toContain('首次联系客户已超时')
    expect(r.text).toContain('2026-11-24 14:30（北京时间）')
    expect(r.text).toContain('https://console.example/cases/SR-20261124-0007')
    expect(r.markdown).toContain('[查看案件](https://console.example/cases/SR-20261124-0007)')
  })

  it('English per recipient locale', () => {
    const r = renderNotice(
      { key: 'k', caseId: 'SR-1', template: 'sla.warning', data: { clock: 'solve-r2', dueAt: at } },
      { locale: 'en', audience: 'staff', publicUrl: 'http://localhost:3000' },
    )
    expect(r.text).toContain('Solving the complaint (round 2) is about to fall due')
    expect(r.text).toContain('Warning point: 2026-11-24 14:30 (Beijing time)')
  })

  it('customers get their own wording, the text written for them, and no console link', () => {
    const r = renderNotice(
      {
        key: 'k',
        caseId: 'RX-1',
        template: 'return.rejected',
        data: { reason: '已超过七天', channel: 'hotline' },
      },
      { locale: 'zh-CN', audience: 'customer', publicUrl: 'http://localhost:3000' },
    )
    expect(r.text).toContain('您的退换货申请未通过审核：已超过七天')
    expect(r.link).toBeNull()
    expect(r.text).not.toContain('/cases/')
  })

  it('staff and group robots never read free text typed for the customer (SEC-01)', () => {
    const r = renderNotice(
      {
        key: 'k',
        caseId: 'RX-1',
        template: 'complaint.outcome',
        data: { reply: 'private reply to Mr Wang' },
      },
      { locale: 'zh-CN', audience: 'group', publicUrl: 'http://x' },
    )
    expect(r.text).not.toContain('Mr Wang')
  })

  it('falls back for an unknown template', () => {
    const r = renderNotice(
      { key: 'k', caseId: 'SR-9', template: 'something.new', data: {} },
      { locale: 'zh-CN', audience: 'staff', publicUrl: 'http://x' },
    )
    expect(r.text).toContain('案件有新的通知（something.new）')
  })

  it('formats instants in Asia/Shanghai and leaves dates alone', () => {
    expect(formatBeijing('2026-01-31T16:05:00Z', 'zh-CN')).toBe('2026-02-01 00:05（北京时间）')
    expect(formatBeijing('2026-02-01', 'en')).toBe('2026-02-01')
    expect(formatBeijing(undefined, 'en')).toBeNull()
  })
})

describe('notice timing', () => {
  it('breaches, warnings and critical notices go at once; routine ones wait for working time', () => {
    expect(noticeTiming('sla.breach')).toBe('immediate')
    expect(noticeTiming('sla.warning', { workingTimeOnly: true })).toBe('immediate')
    expect(noticeTiming('service-request.critical')).toBe('immediate')
    expect(noticeTiming('service-request.received')).toBe('immediate')
    expect(noticeTiming('service-request.payment-reminder')).toBe('workingTime')
    expect(noticeTiming('return.approved')).toBe('workingTime')
    expect(noticeTiming('return.approved', { severity: 'A' })).toBe('immediate')
    expect(noticeTiming('service-request.leaving', { workingTimeOnly: false })).toBe('immediate')
    expect(noticeTiming('service-request.urgent-problem', { workingTimeOnly: true })).toBe('workingTime')
  })
})

const unitA: Unit = {
  id: 'unit-a',
  name: 'Boiler works',
  kind: 'production',
  productLines: [],
  models: ['ZY-4000'],
  robots: [
    { kind: 'wecom', url: 'https://wecom.example/send', secretRef: 'a-wecom' },
    { kind: 'dingtalk', url: 'https://ding.example/send', secretRef: 'a-ding' },
  ],
  active: true,
}
const person = (userId: string, unitId: string | null, addresses: Person['addresses']): Person => ({
  userId,
  name: userId,
  roles: ['supervisor'],
  unitId,
  locale: 'zh-CN',
  addresses,
  active: true,
})
const base: PlanInput = {
  to: { roles: ['supervisor'] },
  unit: unitA,
  people: [],
  customer: null,
  available: { email: true, sms: false, robot: (r) => r.secretRef !== 'a-ding' },
}

describe('delivery plan', () => {
  it('e-mails each person, posts to the unit robots with mentions, flags who cannot be reached', () => {
    const entries = planEntries({
      ...base,
      people: [
        person('sup-a', 'unit-a', { email: 'sup-a@corp.example', wecomUserId: 'supa' }),
        person('ce', null, { email: 'ce@corp.example' }),
        person('mute', null, {}),
      ],
    })
    const byId = Object.fromEntries(entries.map((e) => [e.id, e]))
    expect(byId['email:sup-a']).toMatchObject({
      channel: 'email',
      status: 'pending',
      address: 's…@corp.example',
    })
    expect(byId['email:ce']).toMatchObject({ channel: 'email' })
    expect(byId['wecom:unit-a:a-wecom']).toMatchObject({
      status: 'pending',
      recipient: { mentions: ['sup-a'] },
    })
    expect(byId['dingtalk:unit-a:a-ding']).toMatchObject({ status: 'undeliverable' })
    expect(byId['dingtalk:unit-a:a-ding']!.reason).toContain('ROBOT_SECRETS')
    expect(byId['none:mute']).toMatchObject({ status: 'undeliverable', channel: 'none' })
    expect(summarize(entries.map((e) => ({ ...e, messageId: 'm' }))).statuses).toEqual(
      expect.arrayContaining(['delivering', 'pending', 'undeliverable']),
    )
  })

  it('a notice whose roles nobody holds is undeliverable, never dropped', () => {
    const entries = planEntries({ ...base, unit: null, people: [] })
    expect(entries).toEqual([expect.objectContaining({ id: 'nobody', status: 'undeliverable' })])
  })

  it('the customer: e-mail, else the SMS webhook, else a call task for a cs_agent', () => {
    const to = { customer: true }
    expect(
      planEntries({ ...base, to, customer: { email: 'wf@example.com', phone: '+86 138 0000 1234' } })[0],
    ).toMatchObject({ id: 'customer:email', channel: 'email' })
    expect(
      planEntries({
        ...base,
        to,
        customer: { phone: '+86 138 0000 1234' },
        available: { ...base.available, sms: true },
      })[0],
    ).toMatchObject({ id: 'customer:sms', channel: 'webhook', address: '…1234' })
    const call = planEntries({ ...base, to, customer: { phone: '+86 138 0000 1234' } })[0]!
    expect(call).toMatchObject({ id: 'customer:call', channel: 'call', status: 'call_task' })
    expect(call.reason).toContain('SMS_WEBHOOK_URL')
  })
})
