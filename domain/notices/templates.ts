// Notice templates: what each outbox template says, in Chinese (default) and English, and when
// it may go out. Pure and deterministic (no clock, no I/O): the sending activities render with
// it, the delivery workflow asks it for the timing, tests read it.
//
// A rendered notice names the case number, what happened, its deadlines in Beijing time
// (Asia/Shanghai) and, for staff, a link to the case in the console. Free text a person typed
// (reasons, explanations, replies) is shown only where it was written for that reader: the
// customer's own notices. Group robots get no customer data (SEC-01).
import { Temporal } from 'temporal-polyfill'
import type { Locale } from '../directory/types'

type Data = Record<string, unknown>

export type Audience = 'staff' | 'customer' | 'group'

/** When a notice may go out: at once at any hour, or in working time only. */
export type Timing = 'immediate' | 'workingTime'

interface TemplateSpec {
  /** What happened, for staff: zh, en. `{name}` is replaced by `data.name` (formatted). */
  staff: [zh: string, en: string]
  /** What the customer reads, when the template is also sent to them. */
  customer?: [zh: string, en: string]
  /** Data fields a customer reads in full (text written for them). */
  customerText?: string[]
  /** Routine: waits for working time (customer notices, reminders, approvals). */
  workingTimeOnly?: boolean
}

const routine = { workingTimeOnly: true } as const

/** Every template the case workflows use (grep `tell(` and `sla.` in workflows/). */
export const templates: Record<string, TemplateSpec> = {
  // ---- SLA clocks (every case type): always at once ----
  'sla.warning': { staff: ['{clock}即将到期', '{clock} is about to fall due'] },
  'sla.breach': {
    staff: ['{clock}已超时（第 {level} 级升级）', '{clock} is overdue (escalation level {level})'],
  },

  // ---- service requests (SR) ----
  'service-request.received': {
    staff: [
      '新的售后服务请求，产品 {productModel}，请在期限内联系客户（SR-03）',
      'New service request for a {productModel}: contact the customer in time (SR-03)',
    ],
  },
  'service-request.out-of-scope': {
    staff: [
      '服务请求不属于售后服务范围，已告知客户',
      'Request outside after-sales scope; the customer is told why',
    ],
    customer: [
      '您的请求不属于售后服务范围：{reason}',
      'Your request is outside our after-sales scope: {reason}',
    ],
    customerText: ['reason'],
    ...routine,
  },
  'service-request.critical': {
    staff: [
      '特急（A 类）故障，{inProvinceText}，请立即处理（SR-05）',
      'Critical (A) failure, {inProvinceText}: act at once (SR-05)',
    ],
  },
  'service-request.urgent': {
    staff: ['紧急（B 类）故障，{inProvinceText}（SR-06）', 'Urgent (B) failure, {inProvinceText} (SR-06)'],
  },
  'service-request.quote': {
    staff: [
      '有偿服务报价 {totalCny} 元，待签服务协议',
      'Paid service quoted at CNY {totalCny}; service agreement pending',
    ],
    customer: [
      '您的维修服务报价为 {totalCny} 元，签订服务协议后开始服务',
      'Your service is quoted at CNY {totalCny}; work starts once the service agreement is signed',
    ],
    ...routine,
  },
  'service-request.dispatched': {
    staff: ['您已被派往现场（SR-12）', 'You are dispatched to the site (SR-12)'],
  },
  'service-request.check-in': {
    staff: ['服务人员已到达现场并报到（SR-13）', 'The engineer has arrived on site and checked in (SR-13)'],
    customer: ['服务人员已到达现场', 'Our engineer has arrived on site'],
  },
  'service-request.urgent-problem': {
    staff: ['现场出现疑难问题，请立即协调（SR-14）', 'A difficult problem on site needs you now (SR-14)'],
  },
  'service-request.extra-cost': {
    staff: [
      '现场变更产生额外费用 {extraCostCny} 元，请协商（SR-10）',
      'A site change adds CNY {extraCostCny}: negotiate it (SR-10)',
    ],
    ...routine,
  },
  'service-request.acceptance-refused': {
    staff: [
      '用户拒绝签署验收单，服务未完成（SR-15）',
      'The user refused to sign the acceptance form: not complete (SR-15)',
    ],
  },
  'service-request.leaving': {
    staff: ['服务人员准备离开现场（SR-16）', 'The engineer is about to leave the site (SR-16)'],
    ...routine,
  },
  'service-request.taken-back': {
    staff: ['产品已带回维修，回执 {receiptNumber}', 'Product taken back for repair, receipt {receiptNumber}'],
    customer: [
      '您的产品已带回维修，回执编号 {receiptNumber}',
      'Your product was taken back for repair, receipt {receiptNumber}',
    ],
    ...routine,
  },
  'service-request.scrap-proposed': {
    staff: ['建议报废，请审批（SR-17）', 'Scrapping proposed: your approval is needed (SR-17)'],
    ...routine,
  },
  'service-request.major-accident': {
    staff: [
      '重大质量事故，立即启动应急处理（SR-19）',
      'Major quality accident: emergency handling now (SR-19)',
    ],
  },
  'service-request.payment-reminder': {
    staff: [
      '服务已完成但费用未结清，第 {round} 次提醒（SR-08）',
      'Service completed but unpaid: reminder {round} (SR-08)',
    ],
    ...routine,
  },
  'service-request.results': {
    staff: ['服务已完成，请做满意度回访（SR-18）', 'Service completed: survey the customer (SR-18)'],
    ...routine,
  },
  'service-request.agreed-date-reminder': {
    staff: [
      '与客户约定的派工日期临近（SR-07）',
      'The dispatch date agreed with the customer is near (SR-07)',
    ],
    ...routine,
  },
  'service-request.progress-reminder': {
    staff: ['请提交今日进度报告（第 {day} 天，SR-14）', 'Send today’s progress report (day {day}, SR-14)'],
    ...routine,
  },
  'service-request.progress-missing': {
    staff: ['现场第 {day} 天未收到进度报告（SR-14）', 'No progress report on day {day} on site (SR-14)'],
    ...routine,
  },

  // ---- returns and exchanges (RX) ----
  'return.received': {
    staff: [
      '新的退换货申请，产品 {productModel}，请审核（RX-02）',
      'New return application for a {productModel}: review it (RX-02)',
    ],
    customer: ['我们已收到您的退换货申请', 'We have received your return application'],
    ...routine,
  },
  'return.refused-late': {
    staff: ['退换货申请超过期限，已拒绝（RX-01）', 'Return application too late: refused (RX-01)'],
    customer: [
      '很抱歉，您的退换货申请已超过期限：{reason}',
      'Sorry, your return application came too late: {reason}',
    ],
    customerText: ['reason'],
    ...routine,
  },
  'return.rejected': {
    staff: ['退换货申请未通过审核（RX-02）', 'Return application rejected (RX-02)'],
    customer: ['您的退换货申请未通过审核：{reason}', 'Your return application was not approved: {reason}'],
    customerText: ['reason'],
    ...routine,
  },
  'return.approved': {
    staff: ['退换货申请已批准（RX-03）', 'Return application approved (RX-03)'],
    customer: [
      '您的退换货申请已批准，我们将安排取件',
      'Your return was approved; we will arrange the pickup',
    ],
    ...routine,
  },
  'return.pickup-due': { staff: ['请安排取件（RX-03）', 'Arrange the pickup (RX-03)'], ...routine },
  'return.incoming': {
    staff: [
      '退货已发出，承运人 {carrier}，请验货（RX-04）',
      'Return shipped by {carrier}: inspect it on arrival (RX-04)',
    ],
    ...routine,
  },
  'return.refused-after-inspection': {
    staff: ['验货未发现质量问题，已拒绝（RX-04）', 'No quality problem found on inspection: refused (RX-04)'],
    customer: ['经检验未发现质量问题：{reason}', 'Our inspection found no quality problem: {reason}'],
    customerText: ['reason'],
    ...routine,
  },
  'return.remedy-decided': {
    staff: [
      '已确定处理方式：{remedyText}，请告知客户（RX-05）',
      'Remedy decided: {remedyText}; inform the customer (RX-05)',
    ],
    ...routine,
  },
  'return.settlement-notice': {
    staff: [
      '已告知客户{remedyText}的时间和方式（RX-05）',
      'Customer told when and how the {remedyText} happens (RX-05)',
    ],
    customer: [
      '您的{remedyText}将按以下方式办理：{manner}',
      'Your {remedyText} will be handled as follows: {manner}',
    ],
    customerText: ['manner'],
    ...routine,
  },
  'return.settled': {
    staff: ['{remedyText}已完成（RX-05）', '{remedyText} completed (RX-05)'],
    customer: ['您的{remedyText}已办理完成', 'Your {remedyText} is complete'],
    ...routine,
  },

  // ---- complaints and appeals (CP) ----
  'complaint.received': {
    staff: ['收到新的{kindText}，请确认受理（CP-06）', 'New {kindText} received: acknowledge it (CP-06)'],
  },
  'complaint.consultation-received': {
    staff: ['收到新的咨询，请答复', 'New consultation received: answer it'],
    ...routine,
  },
  'complaint.inquiry-received': {
    staff: ['收到新的查询，请答复', 'New inquiry about results: answer it'],
    ...routine,
  },
  'complaint.complaint-received': { staff: ['收到新的投诉', 'New complaint received'], ...routine },
  'complaint.appeal-received': { staff: ['收到新的申诉', 'New appeal received'], ...routine },
  'complaint.consultation-answered': {
    staff: ['咨询已答复', 'Consultation answered'],
    customer: ['您的咨询已答复', 'Your consultation has been answered'],
    ...routine,
  },
  'complaint.inquiry-answered': {
    staff: ['查询已答复', 'Inquiry answered'],
    customer: ['您的查询已答复', 'Your inquiry has been answered'],
    ...routine,
  },
  'complaint.complaint-answered': {
    staff: ['投诉已答复', 'Complaint answered'],
    customer: ['您的投诉已答复', 'Your complaint has been answered'],
    ...routine,
  },
  'complaint.appeal-answered': {
    staff: ['申诉已答复', 'Appeal answered'],
    customer: ['您的申诉已答复', 'Your appeal has been answered'],
    ...routine,
  },
  'complaint.referral-received': {
    staff: [
      '收到上级转办的投诉，请立即处理（CP-16）',
      'A referred complaint arrived: handle it at once (CP-16)',
    ],
  },
  'complaint.not-accepted': {
    staff: ['投诉未予受理（CP-04）', 'Complaint not accepted (CP-04)'],
    customer: [
      '很抱歉，您的投诉未能受理：{explanation}',
      'Sorry, we cannot accept your complaint: {explanation}',
    ],
    customerText: ['explanation'],
    ...routine,
  },
  'complaint.acknowledged': {
    staff: ['已向投诉人确认受理（CP-06）', 'Complaint acknowledged to the complainant (CP-06)'],
    customer: [
      '我们已受理您的{kindText}，将定期告知处理进展',
      'We have accepted your {kindText} and will report progress regularly',
    ],
    ...routine,
  },
  'complaint.instruction': {
    staff: [
      '总经理已就投诉作出指示（CP-07）',
      'The general manager gave instructions on the complaint (CP-07)',
    ],
  },
  'complaint.major-instruction': {
    staff: ['重大投诉，请作出指示（CP-07）', 'Major complaint: your instruction is needed (CP-07)'],
  },
  'complaint.major': {
    staff: ['重大投诉，请参与处理（CP-07）', 'Major complaint: you are involved (CP-07)'],
  },
  'complaint.assigned': {
    staff: ['您被指定调查此投诉（CP-08）', 'You are assigned to investigate this complaint (CP-08)'],
    ...routine,
  },
  'complaint.investigator-excluded': {
    staff: [
      '调查人员因回避被撤换，请重新指定（CP-09）',
      'The investigator is excluded (recusal): assign another (CP-09)',
    ],
  },
  'complaint.evidence-request': {
    staff: ['请提供调查所需的证据（CP-10）', 'Evidence is requested for the investigation (CP-10)'],
    customer: [
      '为调查您的投诉，请提供以下材料：{request}',
      'To investigate your complaint, please send: {request}',
    ],
    customerText: ['request'],
    ...routine,
  },
  'complaint.referral-report': {
    staff: [
      '转办投诉的调查报告待您签发（CP-16）',
      'The referred complaint’s report awaits your signature (CP-16)',
    ],
    ...routine,
  },
  'complaint.referral-report-returned': {
    staff: ['转办投诉的调查报告被退回（CP-16）', 'The referred complaint’s report was returned (CP-16)'],
    ...routine,
  },
  'complaint.retest-arranged': {
    staff: ['已安排复测，请到场（CP-11）', 'A retest is arranged: attend it (CP-11)'],
    customer: ['已为您安排复测', 'A retest has been arranged for you'],
    ...routine,
  },
  'complaint.retest-recorded': {
    staff: ['复测结果已记录（CP-11）', 'Retest result recorded (CP-11)'],
    ...routine,
  },
  'complaint.not-our-responsibility': {
    staff: [
      '投诉非我方责任，请在期限内与投诉人沟通（CP-12）',
      'Not our responsibility: talk to the complainant in time (CP-12)',
    ],
    ...routine,
  },
  'complaint.invalid-explained': {
    staff: ['投诉不成立，已向客户解释（CP-15）', 'Complaint invalid; explained to the customer (CP-15)'],
    customer: ['关于您的投诉：{explanation}', 'About your complaint: {explanation}'],
    customerText: ['explanation'],
    ...routine,
  },
  'complaint.report-for-approval': {
    staff: ['投诉处理报告待批准（CP-13）', 'Complaint handling report awaits approval (CP-13)'],
    ...routine,
  },
  'complaint.report-returned': {
    staff: ['投诉处理报告被退回（CP-13）', 'Complaint handling report returned (CP-13)'],
    ...routine,
  },
  'complaint.reply-for-signature': {
    staff: [
      '重大投诉的正式答复待您签署（CP-13）',
      'The major complaint’s formal reply awaits your signature (CP-13)',
    ],
    ...routine,
  },
  'complaint.reply-approved': {
    staff: ['正式答复已批准，请通知投诉人（CP-13）', 'Formal reply approved: notify the complainant (CP-13)'],
    ...routine,
  },
  'complaint.reply-returned': {
    staff: ['正式答复被退回修改（CP-13）', 'Formal reply returned for changes (CP-13)'],
    ...routine,
  },
  'complaint.outcome': {
    staff: [
      '已将处理结果正式通知投诉人（CP-13）',
      'The outcome was formally notified to the complainant (CP-13)',
    ],
    customer: ['您的投诉处理结果：{reply}', 'The outcome of your complaint: {reply}'],
    customerText: ['reply'],
    ...routine,
  },
  'complaint.audit-trigger': {
    staff: ['投诉触发体系审核或评审（CP-14）', 'The complaint triggers an audit or review (CP-14)'],
    ...routine,
  },
  'complaint.representative-problem': {
    staff: [
      '代表性质量问题，请组织整改（CP-18）',
      'A representative quality problem: organise rectification (CP-18)',
    ],
    ...routine,
  },
  'complaint.follow-up-due': {
    staff: ['请在期限内回访投诉人（CP-18）', 'Call the complainant back in time (CP-18)'],
    ...routine,
  },
  'complaint.reopened': {
    staff: [
      '回访发现问题，投诉重新处理（第 {round} 轮，CP-18）',
      'Follow-up found problems: complaint reopened (round {round}, CP-18)',
    ],
    ...routine,
  },
  'complaint.progress': {
    staff: ['已向投诉人报告处理进展（CP-06）', 'Progress reported to the complainant (CP-06)'],
    customer: [
      '您的投诉正在处理中，当前进展：{statusText}',
      'Your complaint is being handled; current step: {statusText}',
    ],
    ...routine,
  },

  // ---- corrective and preventive actions (CP-14) ----
  'complaint.corrective-action-ended': {
    staff: [
      '{typeText}未按程序结束，请决定后续处理（CP-14）',
      'A {typeText} ended outside its procedure: decide what follows (CP-14)',
    ],
  },
  'corrective-action.opened': {
    staff: ['您负责一项{typeText}（CP-14）', 'You own a {typeText} (CP-14)'],
    ...routine,
  },
  'corrective-action.due-soon': {
    staff: ['{typeText}即将到期（CP-14）', 'The {typeText} falls due soon (CP-14)'],
  },
  'corrective-action.overdue': { staff: ['{typeText}已逾期（CP-14）', 'The {typeText} is overdue (CP-14)'] },
  'corrective-action.rework': {
    staff: ['验证未通过，请重新整改（CP-14）', 'Verification failed: rework needed (CP-14)'],
    ...routine,
  },

  // ---- key-account callbacks (CU-04) and survey campaigns (SV-01) ----
  'callback.due': {
    staff: [
      '重要协议客户第 {n} 次定期回访已到期，请致电客户并填写回访表（CU-04）',
      'Key-account callback {n} is due: call the customer and fill in the form (CU-04)',
    ],
    ...routine,
  },
  'callback.due-soon': {
    staff: ['重要协议客户第 {n} 次回访即将逾期（CU-04）', 'Key-account callback {n} is nearly late (CU-04)'],
  },
  'callback.overdue': {
    staff: [
      '重要协议客户第 {n} 次回访未按时完成（第 {level} 级升级，CU-04）',
      'Key-account callback {n} was not made in time (escalation level {level}, CU-04)',
    ],
  },
  'callback.missed': {
    staff: [
      '重要协议客户第 {n} 次回访在下次回访到期前仍未完成，记为未回访（CU-04）',
      'Key-account callback {n} was never made before the next fell due: recorded as missed (CU-04)',
    ],
  },
  'survey.campaign': {
    staff: [
      '满意度调查 {campaignId} 已发给客户（SV-01）',
      'Satisfaction survey {campaignId} sent to the customer (SV-01)',
    ],
    customer: [
      '满意度调查 {campaignId}：请为以下各项打分（1–5 分，5 分最满意）并回复本邮件：{itemsText}',
      'Satisfaction survey {campaignId}: please rate each item (1–5, 5 = very satisfied) and reply to this e-mail: {itemsText}',
    ],
    customerText: ['campaignId', 'itemsText'],
    // Not routine: sent when marketing starts the campaign, as a person sending it would.
  },

  // ---- monthly statistics (SV-02) and recurring quality problems (SV-03) ----
  'report.monthly': {
    staff: [
      '{month} 月度售后服务统计：服务请求 {serviceRequests} 件，投诉 {complaints} 件；响应及时率 {firstContactOnTime}，满意度 {satisfaction}，投诉处理及时率 {complaintsOnTime}；新开质量问题任务 {qualityIssues} 项（SV-02）',
      'After-sales statistics for {month}: {serviceRequests} service requests, {complaints} complaints; first contact on time {firstContactOnTime}, satisfaction {satisfaction}, complaints handled on time {complaintsOnTime}; {qualityIssues} quality tasks opened (SV-02)',
    ],
    ...routine,
  },
  'quality.recurring': {
    staff: [
      '产品 {model} 在 {month} 有 {count} 件产品质量原因的服务（阈值 {threshold}），请分析原因、设置质量控制点并跟踪整改（SV-03）',
      '{count} product-quality services on model {model} in {month} (threshold {threshold}): analyse the causes, set quality control points and track the rectification (SV-03)',
    ],
    ...routine,
  },

  // ---- the calendar (a year the statutory data lacks) ----
  'calendar.estimated': {
    staff: [
      '{year} 年的法定节假日安排尚未录入，期限按周一至周五估算，请在策略中补充',
      'The {year} statutory calendar is missing: deadlines are estimated Monday–Friday; add it to the policy',
    ],
    ...routine,
  },

  // ---- delivery itself ----
  'delivery.attention': {
    staff: [
      '通知 {noticeKey} 有收件人无法送达，请处理',
      'Notice {noticeKey} could not reach every recipient: please act',
    ],
  },
}

/** Unknown templates still reach people: a generic line names the case and the template. */
const fallback: TemplateSpec = {
  staff: ['案件有新的通知（{template}）', 'New notice on the case ({template})'],
  customer: ['您的案件有新的进展', 'There is news about your case'],
}

/** SLA clock names (workflows' `clocks.start(...)`) as people say them. */
const clockNames: Record<string, [string, string]> = {
  firstContact: ['首次联系客户', 'First contact with the customer'],
  criticalDispatchTarget: ['特急派工目标时限', 'Critical dispatch target'],
  criticalDispatchLatest: ['特急最迟派工时限', 'Critical dispatch deadline'],
  criticalOnSite: ['特急到场时限（省外）', 'Critical on-site deadline (out of province)'],
  chiefEngineerInformed: ['报告总工时限', 'Informing the chief engineer'],
  urgentDispatch: ['紧急派工时限', 'Urgent dispatch deadline'],
  urgentOnSite: ['紧急到场时限', 'Urgent on-site deadline'],
  checkIn: ['到场报到', 'On-site check-in'],
  survey: ['满意度回访', 'Satisfaction survey'],
  agreedDate: ['约定派工日期', 'Agreed dispatch date'],
  review: ['退换货审核', 'Return review'],
  pickup: ['取件', 'Pickup'],
  customerNotice: ['告知客户处理方式', 'Telling the customer the remedy'],
  settlement: ['退款/换货到达', 'Refund or exchange arrival'],
  acknowledge: ['确认受理投诉', 'Acknowledging the complaint'],
  answer: ['答复投诉', 'Answering the complaint'],
  solve: ['解决投诉', 'Solving the complaint'],
  conversation: ['与投诉人沟通', 'Talking to the complainant'],
  followUp: ['投诉回访', 'Complaint follow-up call'],
  referralResult: ['转办投诉结果', 'Referred complaint result'],
  due: ['整改期限', 'Corrective action deadline'],
  callback: ['重要协议客户回访', 'Key-account callback'],
}

function clockName(clock: unknown, locale: Locale): string {
  if (typeof clock !== 'string') return locale === 'en' ? 'A deadline' : '时限'
  const round = /^(.*)-r(\d+)$/.exec(clock)
  const base = round ? round[1]! : clock
  const name = clockNames[base]?.[locale === 'en' ? 1 : 0] ?? clock
  if (!round) return name
  return locale === 'en' ? `${name} (round ${round[2]})` : `${name}（第 ${round[2]} 轮）`
}

const remedyNames: Record<string, [string, string]> = {
  refund: ['退款', 'refund'],
  exchange: ['换货', 'exchange'],
}
const kindNames: Record<string, [string, string]> = {
  consultation: ['咨询', 'consultation'],
  inquiry: ['查询', 'inquiry'],
  complaint: ['投诉', 'complaint'],
  appeal: ['申诉', 'appeal'],
}
const actionTypes: Record<string, [string, string]> = {
  corrective: ['纠正措施', 'corrective action'],
  preventive: ['预防措施', 'preventive action'],
}

/** Fields that are deadlines or dates, with their label; shown in Beijing time. */
const dateFields: [field: string, zh: string, en: string][] = [
  ['dueAt', '期限', 'Due'],
  ['contactBy', '联系客户期限', 'Contact the customer by'],
  ['acknowledgeBy', '确认受理期限', 'Acknowledge by'],
  ['answerBy', '答复期限', 'Answer by'],
  ['reviewBy', '审核期限', 'Review by'],
  ['pickupBy', '取件期限', 'Pick up by'],
  ['noticeBy', '告知客户期限', 'Inform the customer by'],
  ['callbackBy', '回访期限', 'Call back by'],
  ['agreedDate', '约定日期', 'Agreed date'],
  ['expectedArrival', '预计到达', 'Expected arrival'],
  ['expectedBy', '预计完成', 'Expected by'],
  ['plannedReturnDate', '计划返回日期', 'Planned return'],
  ['scheduledAt', '安排时间', 'Scheduled at'],
]

const TIME_ZONE = 'Asia/Shanghai'

/** An instant or a date, as a reader in China reads it: `2026-11-24 14:30（北京时间）`. */
export function formatBeijing(value: unknown, locale: Locale): string | null {
  if (typeof value !== 'string' || value === '') return null
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  let zoned: Temporal.ZonedDateTime
  try {
    zoned = Temporal.Instant.from(value).toZonedDateTimeISO(TIME_ZONE)
  } catch {
    return value
  }
  const pad = (n: number) => String(n).padStart(2, '0')
  const text = `${zoned.year}-${pad(zoned.month)}-${pad(zoned.day)} ${pad(zoned.hour)}:${pad(zoned.minute)}`
  return locale === 'en' ? `${text} (Beijing time)` : `${text}（北京时间）`
}

function pick(names: Record<string, [string, string]>, value: unknown, locale: Locale): string {
  const hit = typeof value === 'string' ? names[value] : undefined
  return hit ? hit[locale === 'en' ? 1 : 0] : typeof value === 'string' ? value : ''
}

/** Values the phrases use that are derived from data rather than copied. */
function derived(data: Data, template: string, locale: Locale): Data {
  const en = locale === 'en'
  return {
    ...data,
    template,
    clock: clockName(data.clock, locale),
    inProvinceText:
      data.inProvince === false ? (en ? 'out of province' : '省外') : en ? 'in the province' : '省内',
    remedyText: pick(remedyNames, data.remedy, locale) || (en ? 'refund or exchange' : '退换货'),
    kindText: pick(kindNames, data.kind, locale) || (en ? 'complaint' : '投诉'),
    typeText: pick(actionTypes, data.type, locale) || (en ? 'corrective action' : '纠正预防措施'),
    statusText: typeof data.status === 'string' ? data.status.replaceAll('_', ' ') : '',
  }
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2)
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  return ''
}

function fill(phrase: string, values: Data, allowed: (name: string) => boolean): string {
  return phrase
    .replace(/\{(\w+)\}/g, (_, name: string) => (allowed(name) ? formatValue(values[name]) : '…'))
    .replace(/[：:]\s*$/, '')
    .trim()
}

export interface NoticeContent {
  key: string
  caseId: string
  template: string
  data?: Data
}

export interface RenderOptions {
  locale: Locale
  audience: Audience
  /** Console base URL; the link is `${publicUrl}/cases/${caseId}` (staff and groups only). */
  publicUrl: string
}

export interface RenderedNotice {
  /** E-mail subject / robot title. */
  subject: string
  /** Plain text (e-mail, SMS, robot text messages). */
  text: string
  /** Markdown (WeCom / DingTalk robots). */
  markdown: string
  /** The case link, when the audience may open the console. */
  link: string | null
}

export function templateSpec(template: string): TemplateSpec {
  return templates[template] ?? fallback
}

export function isKnownTemplate(template: string): boolean {
  return template in templates
}

/**
 * When a notice may go out. SLA warnings and breaches and anything about a critical (A) case go
 * at once, at any hour, whatever else says so. Otherwise `data.workingTimeOnly` decides when the
 * case marked the notice, and the catalogue's routine mark when it did not.
 */
export function noticeTiming(template: string, data: Data = {}): Timing {
  const spec = templateSpec(template)
  if (template.startsWith('sla.') || data.severity === 'A' || data.critical === true) return 'immediate'
  if (data.workingTimeOnly === true) return 'workingTime'
  if (data.workingTimeOnly === false) return 'immediate'
  return spec.workingTimeOnly ? 'workingTime' : 'immediate'
}

/**
 * A notice rendered for one reader; `headline` is what happened in one line, without the case
 * number (for staff and groups: structured fields only, as the case timeline shows it).
 */
export function renderNotice(
  notice: NoticeContent,
  options: RenderOptions,
): RenderedNotice & { headline: string } {
  const { locale, audience } = options
  const en = locale === 'en'
  const i = en ? 1 : 0
  const spec = templateSpec(notice.template)
  const values = derived(notice.data ?? {}, notice.template, locale)
  const customerPhrase = audience === 'customer' ? (spec.customer ?? fallback.customer!) : null
  // Free text only where it was written for this reader (the customer's own notice).
  const freeText = new Set(audience === 'customer' ? (spec.customerText ?? []) : [])
  const structured = (name: string) =>
    freeText.has(name) ||
    [
      'clock',
      'level',
      'productModel',
      'inProvinceText',
      'totalCny',
      'extraCostCny',
      'receiptNumber',
      'round',
      'day',
      'carrier',
      'remedyText',
      'kindText',
      'typeText',
      'statusText',
      'noticeKey',
      'template',
      'year',
      'n',
    ].includes(name)
  const headline = fill((customerPhrase ?? spec.staff)[i], values, structured)
  const brand = en ? 'After-sales service' : '售后服务'
  const subject = `[${brand}] ${notice.caseId} ${headline}`

  const lines: [label: string, value: string][] = [
    [en ? 'Case' : '案件编号', notice.caseId],
    [en ? 'What happened' : '事项', headline],
  ]
  for (const [field, zh, enLabel] of dateFields) {
    const when = formatBeijing(notice.data?.[field], locale)
    if (!when) continue
    // An SLA step's `dueAt` is when the step fell due: the deadline itself only at the breach.
    const step =
      field === 'dueAt' && notice.template === 'sla.warning'
        ? ['预警时点', 'Warning point']
        : field === 'dueAt' && notice.template === 'sla.breach' && Number(notice.data?.level) > 1
          ? ['本级升级时点', 'Escalation level due']
          : null
    lines.push([step ? step[i]! : en ? enLabel : zh, when])
  }
  const link =
    audience === 'customer' ? null : `${options.publicUrl.replace(/\/+$/, '')}/cases/${notice.caseId}`
  if (link) lines.push([en ? 'Open the case' : '查看案件', link])
  const colon = en ? ': ' : '：'
  const closing =
    audience === 'customer'
      ? en
        ? 'Questions? Call our service hotline and quote your case number.'
        : '如有疑问，请致电客服热线并提供案件编号。'
      : null

  const text = [
    `【${brand}】${headline}`,
    ...lines.map(([label, value]) => `${label}${colon}${value}`),
    ...(closing ? [closing] : []),
  ].join('\n')
  const markdown = [
    `**【${brand}】${headline}**`,
    ...lines.map(([label, value]) =>
      link && value === link ? `[${label}](${link})` : `> ${label}${colon}${value}`,
    ),
  ].join('\n')
  return { headline, subject, text, markdown, link }
}
