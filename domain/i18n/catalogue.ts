// The shape every language's catalogue has: the English one (en.ts) defines the keys, so a
// code or word another language lacks is a type error; `Catalogue` is that shape with texts
// of any wording.
import { messages, punctuation, vocabulary, type MessageCode } from './en'
import type { ParamValue } from './format'

export type Vocabulary = { [T in keyof typeof vocabulary]: Record<keyof (typeof vocabulary)[T], string> }

export interface Catalogue {
  messages: Record<MessageCode, string>
  vocabulary: Vocabulary
  punctuation: typeof punctuation
}

export const en: Catalogue = { messages, vocabulary, punctuation }

/** The names of the `{placeholders}` of a text, as a type. */
type Names<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? (P extends `${infer N}|${string}` ? N : P) | Names<Rest>
  : never

/** The parameters a code's text needs (none: `undefined` is accepted). */
export type ParamsOf<C extends MessageCode> = [Names<(typeof messages)[C]>] extends [never]
  ? Record<string, never> | undefined
  : { [K in Names<(typeof messages)[C]>]: ParamValue }
