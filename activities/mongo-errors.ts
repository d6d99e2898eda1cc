/** MongoDB's duplicate-key error: the write already happened (or a newer one did). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000
}
