// Reads and validates the policy document named by POLICY_FILE.
import { readFile } from 'node:fs/promises'
import { parse } from 'yaml'
import { parsePolicy, PolicyError, type Policy } from '../domain/policy'

export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new PolicyError([`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`])
  }
  let document: unknown
  try {
    document = parse(text)
  } catch (err) {
    throw new PolicyError([`${path}: not valid YAML or JSON (${(err as Error).message.split('\n')[0]})`])
  }
  return parsePolicy(document)
}
