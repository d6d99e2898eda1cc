// Issue 14, "in the user's language": every refusal and validation code, and every word the
// rulebook's records use, has a zh-CN text in domain/i18n. The codes are collected from the
// source (workflows, domain, api), not from a hand list, so a new refusal without Chinese fails.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import * as CP from '../../domain/complaint/commands'
import { complaintActions, complaintStatuses } from '../../domain/complaint/actions'
import { ExclusionReason } from '../../domain/complaint/independence'
import { ChecklistItem } from '../../domain/complaint/routing'
import * as CA from '../../domain/corrective-action/commands'
import { correctiveActionActions, correctiveActionStatuses } from '../../domain/corrective-action/actions'
import {
  catalogues,
  issueCode,
  isMessageCode,
  localeOf,
  message,
  word,
  type Catalogue,
} from '../../domain/i18n'
import { formatters, placeholders } from '../../domain/i18n/format'
import * as RX from '../../domain/return-request/commands'
import { returnRequestActions, returnRequestStatuses } from '../../domain/return-request/actions'
import { roleIds } from '../../domain/roles'
import * as SR from '../../domain/service-request/commands'
import { serviceRequestActions, serviceRequestStatuses } from '../../domain/service-request/actions'
import { clockTargets, dispatchClocks, onSiteClocks } from '../../workflows/service-request/context'

const repo = join(import.meta.dirname, '..', '..')
const zh = catalogues['zh-CN']
const en = catalogues.en

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(join(repo, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => ({ file: join(dir, f), text: readFileSync(join(repo, dir, f), 'utf8') }))
}
const code = sources('workflows').concat(sources('domain'), sources('api'))

/** Catalogue codes the source names: `refuse.x('sr.…')`, `rule('…')`, `issue([…], '…')`, ternaries. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>()
  const c = `'((?:sr|cp|rx|ca|cu|step|clock|policy|calendar|validation)\\.[A-Za-z.]+)'`
  const uses = [
    // refuse.state('…', …), rule('…'), english('…'), and either branch of a ternary code
    new RegExp(
      `(?:refuse\\.\\w+|\\brule|\\benglish)\\(\\s*(?:[^()'\\n]*\\?\\s*)?${c}(?:\\s*:\\s*${c})?`,
      'g',
    ),
    // issue([path], '…') in a superRefine, `code: '…'` in a refusal's details
    new RegExp(`\\bissue\\(\\[[^\\]]*\\],\\s*${c}`, 'g'),
    new RegExp(`\\bcode: ${c}`, 'g'),
  ]
  for (const { file, text } of code)
    if (!file.startsWith(join('domain', 'i18n')))
      for (const re of uses)
        for (const m of text.matchAll(re)) for (const k of m.slice(1)) if (k) found.set(k, file)
  return found
}

/** The API's problem slugs: `new ProblemError(409, 'case-closed', …)`, `problem(404, …)`, `refuse('…')`. */
function apiSlugs(): Map<string, string> {
  const found = new Map<string, string>()
  const patterns = [
    /ProblemError\(\s*\d+,\s*'([a-z-]+)'/g,
    /problem\(\s*\d+,\s*'([a-z-]+)'/g,
    /refuse\(\s*'([a-z-]+)'/g,
  ]
  for (const { file, text } of sources('api'))
    for (const p of patterns) for (const m of text.matchAll(p)) found.set(m[1]!, file)
  return found
}

/** Every object key of a zod schema (the fields a form or a validation error can name). */
function fieldsOf(schema: z.ZodType): string[] {
  const keys = new Set<string>()
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return
    const props = (node as { properties?: Record<string, unknown> }).properties
    for (const [k, v] of Object.entries(props ?? {})) {
      keys.add(k)
      walk(v)
    }
    for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties'])
      [(node as Record<string, unknown>)[key]].flat().forEach(walk)
  }
  walk(z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }))
  return [...keys]
}
const commandSchemas = [SR, CP, RX, CA].flatMap((m) =>
  Object.values(m).filter((v): v is z.ZodType => v instanceof z.ZodType),
)

const missing = (table: Record<string, string>, keys: readonly string[]) =>
  keys.filter((k) => !table[k]?.trim())

describe('catalogue (domain/i18n)', () => {
  it('zh-CN has a text for every code, using only the parameters the English names', () => {
    for (const [c, english] of Object.entries(en.messages)) {
      const chinese = zh.messages[c as keyof Catalogue['messages']]
      expect(chinese?.trim(), c).toBeTruthy()
      expect(chinese, `${c} is not translated`).not.toBe(english)
      const allowed = new Set(placeholders(english))
      expect(
        placeholders(chinese).filter((p) => !allowed.has(p)),
        c,
      ).toEqual([])
    }
  })

  it('every placeholder names a vocabulary table that exists', () => {
    for (const t of Object.values(catalogues))
      for (const text of Object.values(t.messages))
        for (const f of formatters(text))
          expect(['or', 'words', ...Object.keys(t.vocabulary)], text).toContain(f)
  })

  it('every refusal and rule code in workflows, domain and api has a zh-CN text', () => {
    const found = codesInSource()
    expect(found.size).toBeGreaterThan(80)
    const unknown = [...found].filter(([c]) => !isMessageCode(c) || !zh.messages[c]?.trim())
    expect(unknown).toEqual([])
  })

  it('every problem slug the API answers has a zh-CN text (api.<slug>)', () => {
    const slugs = apiSlugs()
    expect(slugs.size).toBeGreaterThan(20)
    expect([...slugs].filter(([s]) => !isMessageCode(`api.${s}`))).toEqual([])
  })

  it('workflows refuse only through the catalogue (refuse.* in workflows/shared/steps.ts)', () => {
    const direct = code.filter(
      ({ file, text }) =>
        file.startsWith('workflows') &&
        file !== join('workflows', 'shared', 'steps.ts') &&
        /type:\s*Rejection\./.test(text),
    )
    expect(direct.map((f) => f.file)).toEqual([])
    const untranslated = code.filter(({ text }) => /refuse\.(state|forbidden|input)\(\s*`/.test(text))
    expect(untranslated.map((f) => f.file)).toEqual([])
  })

  it('roles, statuses, steps, rule names, exclusion reasons and checklist items have zh-CN words', () => {
    const v = zh.vocabulary
    expect(missing(v.role, roleIds)).toEqual([])
    const statuses = [
      ...serviceRequestStatuses,
      ...complaintStatuses,
      ...returnRequestStatuses,
      ...correctiveActionStatuses,
    ]
    expect(missing(v.status, statuses)).toEqual([])
    const steps = [serviceRequestActions, complaintActions, returnRequestActions, correctiveActionActions]
      .flatMap(Object.keys)
      .filter((a) => a !== 'create' && a !== 'read')
    expect(missing(v.action, steps)).toEqual([])
    expect(missing(v.exclusion, ExclusionReason.options)).toEqual([])
    expect(missing(v.checklist, ChecklistItem.options)).toEqual([])
    // Every rule ID the rulebook (DOMAIN.md, in the project's shared folder) defines, where it is at hand.
    expect(Object.keys(v.rule).length).toBeGreaterThanOrEqual(55)
  })

  it('every clock a workflow starts has a zh-CN name', () => {
    const started = new Set<string>([...Object.keys(clockTargets), ...dispatchClocks, ...onSiteClocks])
    const starts = [
      /(?:clocks\.start(?:At|Until)?|startWorkingDayClock|perRound)\(\s*'([A-Za-z]+)'/g,
      /let [a-z]+Clock = '([A-Za-z]+)'/g,
    ]
    for (const { file, text } of code)
      if (file.startsWith('workflows'))
        for (const p of starts) for (const m of text.matchAll(p)) started.add(m[1]!)
    expect(started.size).toBeGreaterThan(10)
    expect(missing(zh.vocabulary.clock, [...started])).toEqual([])
    expect(word('zh-CN', 'clock', 'solve-r2')).toBe('解决（CP-17）（第 2 轮）')
    expect(word('en', 'clock', 'due-2')).toBe('Corrective action due (CP-14) (round 2)')
  })

  it('every field of every step’s command has a zh-CN label', () => {
    const fields = [...new Set(commandSchemas.flatMap(fieldsOf))]
    expect(fields.length).toBeGreaterThan(100)
    expect(missing(zh.vocabulary.field, fields)).toEqual([])
  })

  it('SR-11: the dispatch refusal reads in English as before and in Chinese from the same code', () => {
    expect(message('en', 'sr.dispatch.overtimeApprovalNeeded')).toBe(
      'Dispatching outside working time or on a statutory holiday needs overtimeApproval (SR-11)',
    )
    expect(message('zh-CN', 'sr.dispatch.overtimeApprovalNeeded')).toBe(
      '在非工作时间或法定节假日派工，须填写加班审批（SR-11）',
    )
  })

  it('parameters are shown through the vocabulary: statuses, role lists, empty lists', () => {
    const params = { action: 'dispatch', roles: ['supervisor', 'finance'], role: 'engineer' }
    expect(message('en', 'step.roleNotAllowed', params)).toBe(
      'dispatch is for supervisor or finance, not engineer',
    )
    expect(message('zh-CN', 'step.roleNotAllowed', params)).toBe(
      '「派工」由售后服务主管或财务 / 商务处办理，您当前的角色是服务人员',
    )
    const state = { action: 'Classifying', status: 'awaiting_dispatch' }
    expect(message('en', 'sr.wrongState', state)).toBe(
      'Classifying is not possible while the case is awaiting dispatch',
    )
    expect(message('zh-CN', 'sr.wrongState', state)).toBe('案件当前为「待派工」，不能办理此步骤')
    expect(message('zh-CN', 'clock.notOpen', { clock: 'survey', open: [] })).toBe(
      '时限「满意度回访（SR-18）」不在计时中；正在计时的有：无',
    )
    expect(message('en', 'no.such.code')).toBe('no.such.code')
  })

  it('zod issues get codes with their parameters (validation.*), refinements their rule’s code', () => {
    const codes = (schema: z.ZodType, value: unknown) =>
      schema.safeParse(value).error!.issues.map((i) => issueCode(i as never))
    expect(codes(SR.Acceptance, { stamped: 'x', signed: true, extra: 1 })).toEqual([
      { code: 'validation.invalidType', params: { expected: 'boolean' } },
      { code: 'validation.unknownKeys', params: { keys: ['extra'] } },
    ])
    expect(codes(SR.Acceptance, { signed: true })).toEqual([{ code: 'validation.required' }])
    expect(codes(SR.Acceptance, { signed: false, stamped: true })).toEqual([
      { code: 'sr.acceptance.causeAnalysisNeeded' },
    ])
    expect(codes(SR.Dispatch, { engineers: [] })).toEqual([
      { code: 'validation.tooFew', params: { minimum: 1 } },
    ])
    expect(codes(z.object({ a: z.string().min(2) }), { a: 'x' })).toEqual([
      { code: 'validation.tooShort', params: { minimum: 2 } },
    ])
    expect(codes(z.email(), 'x')).toEqual([{ code: 'validation.invalidFormat', params: { format: 'email' } }])
    expect(codes(z.enum(['in', 'out']), 'x')).toEqual([
      { code: 'validation.invalidValue', params: { values: ['in', 'out'] } },
    ])
  })

  it('Accept-Language picks zh-CN or English (English when neither is named)', () => {
    expect(localeOf('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN')
    expect(localeOf('zh-TW')).toBe('zh-CN')
    expect(localeOf('en-US,en;q=0.9')).toBe('en')
    expect(localeOf('fr-FR, zh;q=0.5')).toBe('zh-CN')
    expect(localeOf('en;q=0.2, zh;q=0.8')).toBe('zh-CN')
    expect(localeOf('zh;q=0, en')).toBe('en')
    expect(localeOf(undefined)).toBe('en')
    expect(localeOf('*')).toBe('en')
  })
})
