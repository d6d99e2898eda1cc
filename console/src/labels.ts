// The words for what the console draws from the API's schemas: a field's label (forms, filters)
// and a choice of an enum (options, filter values, list cells), from the shared catalogue
// (domain/i18n). A label the catalogue lacks falls back to the code, spread into words — in
// English; tests/unit/console-catalogue.test.ts walks the API's forms and filters so none does.
import { catalogues, type Locale } from '../../domain/i18n'

type Tables = (typeof catalogues)['en']['vocabulary']

/** The catalogue's word for a field (a property or query parameter name), or null. */
export function fieldWord(locale: Locale, name: string): string | null {
  return (catalogues[locale].vocabulary.field as Record<string, string>)[name] ?? null
}

/** A field's label: the catalogue's word, else its name spread into words. */
export function fieldLabel(locale: Locale, name: string): string {
  return (
    fieldWord(locale, name) ?? name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())
  )
}

/** Fields whose values are the codes of one of the catalogue's tables. */
const tableOf: Record<string, keyof Tables> = {
  status: 'status',
  role: 'role',
  roles: 'role',
  action: 'action',
  clock: 'clock',
  requested: 'remedy',
  remedy: 'remedy',
  item: 'checklist',
  reason: 'exclusion',
}
/** Tried in turn for a value no field names (e.g. a field of a step the catalogue maps nowhere). */
const anyTables: (keyof Tables)[] = ['status', 'role', 'action', 'clock', 'remedy']

/** The catalogue's word for `value` of the enum field `field`, or null. */
export function choiceWord(locale: Locale, field: string, value: string): string | null {
  const v = catalogues[locale].vocabulary
  const table = (name: keyof Tables) => (v[name] as Record<string, string>)[value]
  const choice = v.choice as Record<string, string>
  const named = tableOf[field]
  return (
    choice[`${field}.${value}`] ??
    (named ? table(named) : undefined) ??
    choice[value] ??
    anyTables.map(table).find(Boolean) ??
    null
  )
}

/** A choice as the reader reads it: the catalogue's word, else the code itself. */
export function choiceLabel(locale: Locale, field: string, value: string): string {
  return choiceWord(locale, field, value) ?? value
}
