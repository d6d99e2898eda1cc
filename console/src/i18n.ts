// The console's words, one catalogue per language. zh-CN is the reference: `en` must have the
// same keys (the type says so), so a word missing in either language fails the type check.
import { createContext, useContext } from 'react'
import { catalogues as shared, type Catalogue as Shared } from '../../domain/i18n'

// Roles, statuses, clocks, steps and the API's problem types come from the catalogue the API and
// the workflows share (domain/i18n), so a word is written once per language.
const domain = { zh: shared['zh-CN'], en: shared.en }
/** The API's problem types by slug (`api.other-unit` → `other-unit`). */
function problemWords(c: Shared): Record<string, string> {
  return Object.fromEntries(
    Object.entries(c.messages)
      .filter(([code]) => code.startsWith('api.'))
      .map(([code, text]) => [code.slice(4), text]),
  )
}

const zhCN = {
  app: { title: '售后服务控制台', language: 'English', signOut: '退出登录', signedInAs: '当前用户' },
  signIn: {
    title: '开发环境登录',
    hint: '仅用于本地开发：选择示例组织中的一位员工登录（生产环境不提供）。',
    as: '以此身份登录',
    unit: '单位',
    roles: '角色',
    orgWide: '全组织',
  },
  tasks: {
    title: '我的待办',
    empty: '暂无待办事项',
    case: '案件编号',
    type: '案件类型',
    action: '待办事项',
    deadline: '截止时间',
    remaining: '剩余时间',
    overdue: '已超时',
    noDeadline: '无时限',
    open: '办理',
  },
  case: {
    back: '返回待办',
    status: '状态',
    severity: '分级',
    unit: '生产单位',
    received: '受理时间',
    customer: '客户',
    product: '产品',
    description: '故障描述',
    clocks: '时限',
    clock: '时限名称',
    state: '计时状态',
    deadline: '截止时间',
    remaining: '剩余时间',
    breached: '已超时',
    timeline: '处理记录',
    actions: '可办理的步骤',
    noActions: '当前没有需要您办理的步骤',
    optional: '可随时办理',
    optionalHint: '流程此刻接受、但不等待此步骤（不列入待办）',
    submit: '提交',
    unassigned: '待分配',
    escalations: '升级记录',
  },
  clockState: { running: '计时中', paused: '已暂停', stopped: '已停止' },
  fields: {
    note: '备注',
    severity: '分级',
    reason: '分级理由',
    warranty: '保修',
    warrantyIn: '保修期内',
    warrantyOut: '保修期外',
    paid: '有偿服务',
    paidReason: '有偿理由',
    engineer: '服务人员（工号）',
    expectedArrival: '预计到达时间',
    overtimeReason: '加班审批理由（节假日或非工作时间派工时填写）',
    siteSituation: '现场情况',
    lodging: '住宿',
    phone: '联系电话',
  },
  severity: { A: 'A 特急', B: 'B 紧急', C: 'C 一般' },
  caseType: {
    serviceRequest: '报修',
    complaint: '投诉',
    returnRequest: '退换货',
    return: '退换货',
    customer: '客户资料',
    keyAccountCallbacks: '重点客户回访',
    correctiveAction: '纠正预防措施',
  },
  status: domain.zh.vocabulary.status,
  role: domain.zh.vocabulary.role,
  clock: domain.zh.vocabulary.clock,
  action: domain.zh.vocabulary.action,
  /** Rule names by ID ('SR-12' → 派工), for the rules a step route's summary cites. */
  rule: domain.zh.vocabulary.rule,
  /** The API's problem types (`/problems/<slug>`); the English detail is shown beneath. */
  problem: problemWords(domain.zh),
  time: { d: '天', h: '小时', m: '分', s: '秒', ago: '前', left: '' },
}

export type Catalogue = typeof zhCN

const en: Catalogue = {
  app: { title: 'After-sales console', language: '中文', signOut: 'Sign out', signedInAs: 'Signed in as' },
  signIn: {
    title: 'Development sign-in',
    hint: 'Local development only: sign in as a person of the sample organisation (not offered in production).',
    as: 'Sign in',
    unit: 'Unit',
    roles: 'Roles',
    orgWide: 'organisation-wide',
  },
  tasks: {
    title: 'My tasks',
    empty: 'Nothing is waiting for you',
    case: 'Case',
    type: 'Type',
    action: 'Action',
    deadline: 'Deadline',
    remaining: 'Time left',
    overdue: 'Overdue',
    noDeadline: 'no deadline',
    open: 'Open',
  },
  case: {
    back: 'Back to my tasks',
    status: 'Status',
    severity: 'Severity',
    unit: 'Production unit',
    received: 'Received',
    customer: 'Customer',
    product: 'Product',
    description: 'Fault',
    clocks: 'Clocks',
    clock: 'Clock',
    state: 'State',
    deadline: 'Deadline',
    remaining: 'Time left',
    breached: 'Breached',
    timeline: 'Timeline',
    actions: 'Steps you can take',
    noActions: 'No step is waiting for you',
    optional: 'Any time',
    optionalHint: 'The case accepts this step now but does not wait for it (not in your tasks)',
    submit: 'Submit',
    unassigned: 'unassigned',
    escalations: 'Escalations',
  },
  clockState: { running: 'running', paused: 'paused', stopped: 'stopped' },
  fields: {
    note: 'Note',
    severity: 'Severity',
    reason: 'Reason',
    warranty: 'Warranty',
    warrantyIn: 'in warranty',
    warrantyOut: 'out of warranty',
    paid: 'Paid service',
    paidReason: 'Why paid',
    engineer: 'Engineer (user id)',
    expectedArrival: 'Expected arrival',
    overtimeReason: 'Overtime approval reason (holidays or outside working time)',
    siteSituation: 'Site situation',
    lodging: 'Lodging',
    phone: 'Phone',
  },
  severity: { A: 'A critical', B: 'B urgent', C: 'C general' },
  caseType: {
    serviceRequest: 'Service request',
    complaint: 'Complaint',
    returnRequest: 'Return',
    return: 'Return',
    customer: 'Customer record',
    keyAccountCallbacks: 'Key-account callbacks',
    correctiveAction: 'Corrective action',
  },
  status: domain.en.vocabulary.status,
  role: domain.en.vocabulary.role,
  clock: domain.en.vocabulary.clock,
  action: domain.en.vocabulary.action,
  rule: domain.en.vocabulary.rule,
  problem: problemWords(domain.en),
  time: { d: 'd', h: 'h', m: 'm', s: 's', ago: 'ago', left: 'left' },
}

export type Locale = 'zh-CN' | 'en'
export const catalogues: Record<Locale, Catalogue> = { 'zh-CN': zhCN, en }

export const I18n = createContext<{ t: Catalogue; locale: Locale; setLocale: (l: Locale) => void }>({
  t: zhCN,
  locale: 'zh-CN',
  setLocale: () => {},
})
export const useI18n = () => useContext(I18n)

/** A word from one of the catalogue's tables, or the code itself when the table lacks it. */
export function word(table: Record<string, string>, code: string | null | undefined): string {
  if (!code) return ''
  return table[code] ?? code
}

/** A duration as "2小时 5分 3秒" / "2h 5m 3s"; negative durations are "overdue by". */
export function formatDuration(ms: number, t: Catalogue): string {
  const total = Math.floor(Math.abs(ms) / 1000)
  const d = Math.floor(total / 86400)
  const h = Math.floor((total % 86400) / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const parts = [
    d ? `${d}${t.time.d}` : '',
    d || h ? `${h}${t.time.h}` : '',
    `${m}${t.time.m}`,
    `${s}${t.time.s}`,
  ]
  return parts.filter(Boolean).join(' ')
}
