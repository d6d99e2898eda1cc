// How the console shows the API's refusals: from the problem's `code` and `params`, in the
// reader's language, with the same catalogue the API and the workflows use (domain/i18n). Use
// <ProblemAlert> beside the step or page a refusal concerns, and `fieldErrors` to put each
// field's own error beside that field of an antd form. A problem without a known code falls
// back to the API's English detail.
import { Alert } from 'antd'
import { isMessageCode, message, word, type Params } from '../../domain/i18n'
import type { Problem } from './api'
import { useI18n, type Locale } from './i18n'

type FieldError = NonNullable<Problem['errors']>[number]

/** The slug of a problem's type (`/problems/other-unit` → `other-unit`). */
const slugOf = (p: Pick<Problem, 'type'>) => p.type.replace(/^\/problems\//, '')

/** What kind of refusal it is, as a heading: the API's problem type in the reader's language. */
export function problemTitle(problem: Problem, locale: Locale): string {
  const code = `api.${slugOf(problem)}`
  const kind = message(locale, isMessageCode(code) ? code : 'api.unknown')
  return `${problem.status} · ${kind}`
}

/** The refusal itself, from its code and parameters; the English detail when the code is unknown. */
export function problemText(problem: Problem, locale: Locale): string {
  const code = problem.code
  if (code && isMessageCode(code) && !code.startsWith('api.validation') && code !== 'step.invalidInput')
    return message(locale, code, problem.params as Params | undefined)
  return problem.errors?.length ? '' : (problem.detail ?? '')
}

/** One field's error in the reader's language. */
export function fieldText(error: FieldError, locale: Locale): string {
  return error.code && isMessageCode(error.code)
    ? message(locale, error.code, error.params as Params | undefined)
    : error.message
}

/** `body.engineers.0.userId` → its label (服务人员 › 工号), or the path as given. */
export function fieldLabel(field: string, locale: Locale): string {
  const parts = field
    .replace(/^(body|querystring|params)\.?/, '')
    .split('.')
    .filter(Boolean)
  if (parts.length === 0) return field
  return parts
    .filter((p) => !/^\d+$/.test(p))
    .map((p) => word(locale, 'field', p))
    .join(' › ')
}

/**
 * The errors of a refusal that name a field of a form, for antd's `form.setFields`: each at its
 * field path (without `body.`), in the reader's language. Only fields the form has, if `known`.
 */
export function fieldErrors(
  problem: Problem,
  locale: Locale,
  known?: (name: (string | number)[]) => boolean,
): { name: (string | number)[]; errors: string[] }[] {
  return (problem.errors ?? [])
    .filter((e) => e.field.startsWith('body.'))
    .map((e) => ({
      name: e.field
        .replace(/^body\./, '')
        .split('.')
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      errors: [fieldText(e, locale)],
    }))
    .filter((f) => !known || known(f.name))
}

/** A refusal beside the step or page it concerns: what kind, why, and each field it names. */
export function ProblemAlert({ problem }: { problem: Problem }) {
  const { locale } = useI18n()
  const text = problemText(problem, locale)
  return (
    <Alert
      type="error"
      showIcon
      data-testid="problem"
      data-code={problem.code}
      title={problemTitle(problem, locale)}
      description={
        <>
          {text ? <div data-testid="problem-text">{text}</div> : null}
          {problem.errors?.map((e) => (
            <div key={e.field} data-testid="problem-field" data-field={e.field}>
              {fieldLabel(e.field, locale)} (<code>{e.field}</code>): {fieldText(e, locale)}
            </div>
          ))}
        </>
      }
    />
  )
}
