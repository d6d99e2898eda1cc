// SR-12: engineers take work only from their own unit's supervisor, so a dispatch may name only
// active engineers of the case's production unit. The directory lives in MongoDB, which the
// workflow cannot read, so the API checks it before the update. A case without a production unit
// yet (awaiting the office's assignment, or recorded before units) has nothing to check against.
import type { Db } from 'mongodb'
import { collections } from '../activities'
import { MongoDirectory } from '../runtime/directory'
import { ProblemError } from './problem'

export class DispatchCheck {
  private readonly directory: MongoDirectory
  private readonly cases

  constructor(db: Db) {
    this.directory = new MongoDirectory(db)
    this.cases = db.collection<{ _id: string; unitId?: string | null }>(collections.cases)
  }

  /** 422 naming each engineer who is not an active engineer of the case's unit. */
  async assertEngineersOfUnit(caseId: string, body: unknown): Promise<void> {
    const engineers = (body as { engineers?: { userId: string }[] } | null)?.engineers ?? []
    const document = await this.cases.findOne({ _id: caseId }, { projection: { unitId: 1 } })
    const unitId = document?.unitId
    if (!unitId) return
    const people = await Promise.all(engineers.map((e) => this.directory.person(e.userId)))
    const errors = engineers.flatMap((engineer, i) => {
      const person = people[i]
      const why = !person
        ? 'not in the directory'
        : !person.active
          ? 'deactivated'
          : !person.roles.includes('engineer')
            ? 'not an engineer'
            : person.unitId !== unitId
              ? `an engineer of ${person.unitId ?? 'no unit'}, not of ${unitId} (SR-12)`
              : null
      return why ? [{ field: `body.engineers.${i}.userId`, message: `${engineer.userId}: ${why}` }] : []
    })
    if (errors.length === 0) return
    throw new ProblemError(
      422,
      'engineer-not-in-unit',
      `Only active engineers of unit ${unitId} may be dispatched to case ${caseId} (SR-12): ${errors
        .map((e) => e.message)
        .join('; ')}.`,
      { errors },
    )
  }
}
