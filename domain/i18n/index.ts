// Refusals and validation errors as a stable code with parameters, rendered in the reader's
// language from one catalogue per language (en.ts, zh-CN.ts). The workflows render English
// from it; the API renders `detail` in the language the request accepts; the console renders
// the same code and parameters in the user's language.
import { en, type Catalogue, type ParamsOf } from './catalogue'
import type { MessageCode } from './en'
import { fill, type Params } from './format'
import { zhCN } from './zh-CN'

export type { Catalogue, ParamsOf } from './catalogue'
export type { MessageCode, RuleId, StatusName, StepName } from './en'
export type { ParamValue, Params } from './format'

export const locales = ['zh-CN', 'en'] as const
export type Locale = (typeof locales)[number]
export const catalogues: Record<Locale, Catalogue> = { 'zh-CN': zhCN, en }

/** A code with its parameters, as a refusal or a field error carries it. */
export interface Coded {
  code: string
  params?: Params
}

export function isMessageCode(code: string): code is MessageCode {
  return Object.hasOwn(en.messages, code)
}

/** The text of `code` in `locale`; an unknown code reads as the code itself. */
export function message(locale: Locale, code: string, params?: Params): string {
  const c = catalogues[locale]
  const text = isMessageCode(code) ? c.messages[code] : undefined
  if (text === undefined) return code
  return fill(text, params, { tables: c.vocabulary, ...c.punctuation })
}

/** The English text of a code: what workflows put in a refusal's message. */
export function english<C extends MessageCode>(code: C, ...params: ParamArgs<C>): string {
  return message('en', code, params[0] as Params | undefined)
}
/** A code's parameters as trailing arguments: optional when its text has none. */
export type ParamArgs<C extends MessageCode> = undefined extends ParamsOf<C> ? [ParamsOf<C>?] : [ParamsOf<C>]

/** A word from one of a language's vocabulary tables (a role, status, clock, …); else the key. */
export function word(locale: Locale, table: keyof Catalogue['vocabulary'], key: string): string {
  const words = catalogues[locale].vocabulary[table] as Record<string, string>
  return fill(`{k|${table}}`, { k: key }, { tables: { [table]: words }, ...catalogues[locale].punctuation })
}

/** The language an `Accept-Language` header prefers among ours (English when it names neither). */
export function localeOf(acceptLanguage: string | undefined): Locale {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...rest] = part.trim().split(';')
      const q = Number(
        rest
          .find((r) => r.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      )
      return { tag: tag.toLowerCase(), q: Number.isFinite(q) ? q : 0, i }
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN'
    if (tag === 'en' || tag.startsWith('en-')) return 'en'
  }
  return 'en'
}

/** A validation issue, as zod reports it (or as fastify-type-provider-zod passes it on). */
export interface Issue {
  code: string
  message: string
  path: readonly PropertyKey[]
  expected?: unknown
  origin?: unknown
  minimum?: unknown
  maximum?: unknown
  format?: unknown
  values?: unknown
  keys?: unknown
  divisor?: unknown
  params?: unknown
}

const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : [String(v)])

/**
 * The code and parameters of a zod issue. A refinement built with `rule(code)` carries its own
 * code; other refinements are `validation.rule` with zod's message.
 */
export function issueCode(issue: Issue): Coded {
  const n = (v: unknown) => (typeof v === 'bigint' ? Number(v) : (v as number))
  const collection = issue.origin === 'array' || issue.origin === 'set' ? 'array' : issue.origin
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined$/.test(issue.message)
        ? { code: 'validation.required' }
        : { code: 'validation.invalidType', params: { expected: String(issue.expected) } }
    case 'too_small':
      return collection === 'string'
        ? { code: 'validation.tooShort', params: { minimum: n(issue.minimum) } }
        : collection === 'array'
          ? { code: 'validation.tooFew', params: { minimum: n(issue.minimum) } }
          : { code: 'validation.tooSmall', params: { minimum: String(issue.minimum) } }
    case 'too_big':
      return collection === 'string'
        ? { code: 'validation.tooLong', params: { maximum: n(issue.maximum) } }
        : collection === 'array'
          ? { code: 'validation.tooMany', params: { maximum: n(issue.maximum) } }
          : { code: 'validation.tooBig', params: { maximum: String(issue.maximum) } }
    case 'invalid_format':
      return { code: 'validation.invalidFormat', params: { format: String(issue.format) } }
    case 'invalid_value':
      return { code: 'validation.invalidValue', params: { values: list(issue.values) } }
    case 'unrecognized_keys':
      return { code: 'validation.unknownKeys', params: { keys: list(issue.keys) } }
    case 'invalid_union':
      return { code: 'validation.invalidUnion' }
    case 'not_multiple_of':
      return { code: 'validation.notMultipleOf', params: { divisor: n(issue.divisor) } }
    case 'custom': {
      const own = issue.params as Coded | undefined
      if (own && typeof own.code === 'string' && isMessageCode(own.code))
        return own.params ? { code: own.code, params: own.params } : { code: own.code }
      return { code: 'validation.rule', params: { message: issue.message } }
    }
    default:
      return { code: 'validation.invalid' }
  }
}

/**
 * A refinement's options from the catalogue: zod's message is the English text, and the code
 * travels in the issue's `params` (`.refine(check, { ...rule('sr.…'), path: [...] })`).
 */
export function rule<C extends MessageCode>(code: C, ...params: ParamArgs<C>): RuleOptions {
  const p = params[0] as Params | undefined
  return { message: english(code, ...params), params: p ? { code, params: p } : { code } }
}
export interface RuleOptions {
  message: string
  params: Coded
}

/** The codes whose text needs no parameters. */
export type PlainCode = { [C in MessageCode]: undefined extends ParamsOf<C> ? C : never }[MessageCode]
