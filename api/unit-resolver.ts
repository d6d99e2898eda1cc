// Which production unit a new case belongs to (seed 003 4.1.3): by model or product line from
// the directory, else the marketing center's after-sales office, which then assigns it. Units
// change rarely and intake must stay fast, so the list is read at most every few seconds.
import type { Db } from 'mongodb'
import { unitForProduct } from '../domain/directory/routing'
import type { Unit } from '../domain/directory/types'
import { MongoDirectory } from '../runtime/directory'
import { ProblemError } from './problem'

export class UnitResolver {
  private readonly directory: MongoDirectory
  private cached: { at: number; units: Promise<Unit[]> } | undefined

  constructor(
    db: Db,
    private readonly maxAgeMs = 5_000,
  ) {
    this.directory = new MongoDirectory(db)
  }

  private units(): Promise<Unit[]> {
    const now = Date.now()
    if (!this.cached || now - this.cached.at > this.maxAgeMs) {
      const units = this.directory.allUnits()
      // A failed read is not kept: the next intake asks again.
      units.catch(() => (this.cached = undefined))
      this.cached = { at: now, units }
    }
    return this.cached.units
  }

  /**
   * The owning production unit; when none owns the product, the office (null with an empty
   * directory), and the case waits for the office to assign a unit.
   */
  async forProduct(product: {
    productLine?: string | null
    model?: string | null
  }): Promise<{ unitId: string | null; awaitingUnit: boolean }> {
    const units = await this.units()
    const unitId = unitForProduct(units, product)
    const owner = units.find((u) => u.id === unitId)
    return { unitId, awaitingUnit: owner?.kind !== 'production' }
  }

  /** 422 unless `unitId` is an active production unit now (an assignment reads the directory afresh). */
  async assertProductionUnit(unitId: string): Promise<void> {
    this.cached = undefined
    const unit = (await this.units()).find((u) => u.id === unitId)
    if (unit?.active && unit.kind === 'production') return
    const why = !unit ? 'no such unit' : !unit.active ? 'the unit is deactivated' : 'not a production unit'
    throw new ProblemError(422, 'unknown-unit', `body.unitId: ${unitId}: ${why}`, {
      errors: [{ field: 'body.unitId', message: why }],
    })
  }
}
