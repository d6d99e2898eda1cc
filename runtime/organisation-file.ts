// The organisation file (ORGANISATION_FILE, e.g. organisation/sample.yaml): read, checked like
// an import, and seeded into an empty directory at API start so a fresh clone has people to
// notify. Seeding is one recorded decision by `system`; a directory with any unit or person
// is never touched (the operator's data wins).
import { readFile } from 'node:fs/promises'
import type { Db } from 'mongodb'
import { parse } from 'yaml'
import { collections } from '../activities'
import { isDuplicateKey } from '../activities/mongo-errors'
import { checkOrganisation } from '../domain/directory/schema'
import type { Person, Unit } from '../domain/directory/types'
import type { Config } from './config'
import { MongoDirectory } from './directory'

export const sampleOrganisationFile = 'organisation/sample.yaml'

export class OrganisationFileError extends Error {
  override name = 'OrganisationFileError'
}

/** The file to seed from: ORGANISATION_FILE; unset: the sample outside production; empty: none. */
export function organisationFileOf(config: Pick<Config, 'ORGANISATION_FILE' | 'NODE_ENV'>): string | null {
  if (config.ORGANISATION_FILE !== undefined) return config.ORGANISATION_FILE || null
  return config.NODE_ENV === 'production' ? null : sampleOrganisationFile
}

export async function loadOrganisationFile(path: string): Promise<{ units: Unit[]; people: Person[] }> {
  let data: unknown
  try {
    data = parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new OrganisationFileError(`organisation file ${path}: ${(err as Error).message}`)
  }
  const checked = checkOrganisation(data)
  if (!checked.ok) {
    const lines = checked.issues.map((issue) => `  ${issue.field}: ${issue.message}`)
    throw new OrganisationFileError(`organisation file ${path} is invalid:\n${lines.join('\n')}`)
  }
  return { units: checked.units, people: checked.people }
}

/**
 * Seeds the directory from `path` when it holds no unit and no person; answers what it did.
 * Each write is an idempotent replace and the seed decision is marked complete at the end, so
 * a start interrupted halfway finishes the seed on the next start.
 */
export async function seedDirectory(
  db: Db,
  path: string,
): Promise<{ seeded: false } | { seeded: true; units: number; staff: number }> {
  const directory = new MongoDirectory(db)
  const decisions = db.collection<
    { _id: string; action?: string; completedAt?: Date } & Record<string, unknown>
  >(collections.decisions)
  const unfinished = await decisions.findOne({ action: 'directory.seed', completedAt: { $exists: false } })
  if (!unfinished && !(await directory.isEmpty())) return { seeded: false }
  const { units, people } = await loadOrganisationFile(path)
  // One seed record for the whole directory: of two API processes starting on an empty database
  // at once, one seeds and the other leaves it (a seed left unfinished is finished at a next start).
  const id = unfinished?._id ?? 'directory:seed'
  if (!unfinished) {
    const claimed = await decisions
      .insertOne({
        _id: id,
        caseId: 'directory',
        actor: { userId: 'system', role: 'system' },
        action: 'directory.seed',
        at: new Date().toISOString(),
        payload: { file: path, units: units.map((u) => u.id), staff: people.map((p) => p.userId) },
        recordedAt: new Date(),
      })
      .then(
        () => true,
        (err: unknown) => {
          if (isDuplicateKey(err)) return false
          throw err
        },
      )
    if (!claimed) return { seeded: false }
  }
  for (const unit of units) await directory.upsertUnit(unit)
  for (const person of people) await directory.upsertPerson(person)
  await decisions.updateOne({ _id: id }, { $set: { completedAt: new Date() } })
  return { seeded: true, units: units.length, staff: people.length }
}
