// Fills a catalogue text with its parameters. A placeholder names a parameter and, after `|`,
// how to show it, applied left to right:
//
//   {name}          the value as given; a list joined with the language's comma ("a, b" / "a、b")
//   {name|role}     each value looked up in a vocabulary table (role, status, clock, action, …)
//   {name|or}       a list joined with the language's "or"
//   {name|words}    snake_case read as words (awaiting_dispatch → awaiting dispatch)
//
// An empty list reads as the language's "none". Pure and deterministic: workflows render their
// English refusals with it.

export type ParamValue = string | number | boolean | readonly (string | number)[]
export type Params = Readonly<Record<string, ParamValue>>

export interface Formatting {
  /** Vocabulary tables a placeholder may name. */
  tables: Readonly<Record<string, Readonly<Record<string, string>>>>
  comma: string
  or: string
  none: string
  /** A clock of a later round: `{word}` and `{n}`. */
  round: string
}

const placeholder = /\{([A-Za-z0-9_]+)((?:\|[A-Za-z0-9_]+)*)\}/g

/** The parameter names a text uses. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(placeholder)].map((m) => m[1]!)
}

/** The `|table` names a text uses (for the catalogue test: every table exists). */
export function formatters(text: string): string[] {
  return [...text.matchAll(placeholder)].flatMap((m) => m[2]!.split('|').filter(Boolean))
}

function show(value: ParamValue | undefined, pipes: string[], f: Formatting): string {
  if (value === undefined) return ''
  let items = (Array.isArray(value) ? value : [value]).map(String)
  let join = f.comma
  for (const pipe of pipes) {
    if (pipe === 'or') join = f.or
    else if (pipe === 'words') items = items.map((i) => i.replace(/_/g, ' '))
    else {
      const table = f.tables[pipe]
      items = items.map((i) => (table ? lookup(table, i, f.round) : i))
    }
  }
  if (Array.isArray(value) && items.length === 0) return f.none
  return items.join(join)
}

/** A word from a table; a clock of a later round (`solve-r2`, `due-2`) is the clock's word and its round. */
function lookup(table: Readonly<Record<string, string>>, key: string, later: string): string {
  if (Object.hasOwn(table, key)) return table[key]!
  const round = /^(.*)-r?(\d+)$/.exec(key)
  if (round && Object.hasOwn(table, round[1]!))
    return later.replace('{word}', table[round[1]!]!).replace('{n}', round[2]!)
  return key
}

export function fill(text: string, params: Params | undefined, f: Formatting): string {
  return text.replace(placeholder, (_all, name: string, pipes: string) =>
    show(params?.[name], pipes.split('|').filter(Boolean), f),
  )
}
