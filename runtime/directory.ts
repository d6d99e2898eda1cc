// The organisation directory in MongoDB: `units` (keyed by unit id) and `staff` (keyed by the
// JWT `sub`). Each write is one idempotent single-document replace (FerretDB has no
// transactions); the selection rules live in domain/directory/routing.ts and are only called here.
import type { Collection, Db, Filter } from 'mongodb'
import { isDuplicateKey } from '../activities/mongo-errors'
import type { Role } from '../domain/roles'
import { selectRecipients, unitForProduct } from '../domain/directory/routing'
import type { Directory, Person, RecipientQuery, Unit } from '../domain/directory/types'

type UnitDocument = Omit<Unit, 'id'> & { _id: string; updatedAt: Date }
type PersonDocument = Omit<Person, 'userId'> & { _id: string; updatedAt: Date }

export interface UnitListQuery {
  kind?: Unit['kind']
  active?: boolean
  limit: number
  offset: number
}

export interface StaffListQuery {
  unitId?: string | null
  role?: Role
  active?: boolean
  limit: number
  offset: number
}

function toUnit({ _id, updatedAt: _updatedAt, ...rest }: UnitDocument): Unit {
  return {
    id: _id,
    name: rest.name,
    kind: rest.kind,
    productLines: rest.productLines ?? [],
    models: rest.models ?? [],
    robots: rest.robots ?? [],
    active: rest.active,
  }
}

function toPerson({ _id, updatedAt: _updatedAt, ...rest }: PersonDocument): Person {
  return {
    userId: _id,
    name: rest.name,
    roles: rest.roles ?? [],
    unitId: rest.unitId ?? null,
    locale: rest.locale ?? 'zh-CN',
    addresses: rest.addresses ?? {},
    active: rest.active,
  }
}

export class MongoDirectory implements Directory {
  static readonly collections = { units: 'units', staff: 'staff' } as const
  private readonly units: Collection<UnitDocument>
  private readonly staff: Collection<PersonDocument>

  constructor(db: Db) {
    this.units = db.collection<UnitDocument>(MongoDirectory.collections.units)
    this.staff = db.collection<PersonDocument>(MongoDirectory.collections.staff)
  }

  async ensureIndexes(): Promise<void> {
    // One at a time: FerretDB 1.24 drops the connection when createIndexes gets several existing ones.
    await this.staff.createIndex({ unitId: 1, _id: 1 }, { name: 'unitId_id' })
    await this.staff.createIndex({ roles: 1 }, { name: 'roles' })
    await this.units.createIndex({ kind: 1, _id: 1 }, { name: 'kind_id' })
  }

  // ---- Directory (what delivery and routing read) ----

  async recipients(query: RecipientQuery): Promise<Person[]> {
    if (query.roles.length === 0 && query.userIds.length === 0) return []
    const or: Filter<PersonDocument>[] = []
    if (query.roles.length) or.push({ roles: { $in: query.roles } })
    if (query.userIds.length) or.push({ _id: { $in: query.userIds } })
    const [units, people] = await Promise.all([
      this.allUnits(),
      this.staff.find({ active: true, $or: or }).toArray(),
    ])
    return selectRecipients(units, people.map(toPerson), query)
  }

  async unit(id: string): Promise<Unit | null> {
    const document = await this.units.findOne({ _id: id })
    return document ? toUnit(document) : null
  }

  /** The owning active production unit (model before product line), else the office's id. */
  async unitForProduct(product: {
    productLine?: string | null
    model?: string | null
  }): Promise<string | null> {
    return unitForProduct(await this.allUnits(), product)
  }

  // ---- reads for the API ----

  async person(userId: string): Promise<Person | null> {
    const document = await this.staff.findOne({ _id: userId })
    return document ? toPerson(document) : null
  }

  /** Every unit (the directory holds a handful to a few hundred). */
  async allUnits(): Promise<Unit[]> {
    return (await this.units.find({}).sort({ _id: 1 }).toArray()).map(toUnit)
  }

  async listUnits(query: UnitListQuery): Promise<{ total: number; items: Unit[] }> {
    const filter: Filter<UnitDocument> = {}
    if (query.kind) filter.kind = query.kind
    if (query.active !== undefined) filter.active = query.active
    const [total, documents] = await Promise.all([
      this.units.countDocuments(filter),
      this.units.find(filter).sort({ _id: 1 }).skip(query.offset).limit(query.limit).toArray(),
    ])
    return { total, items: documents.map(toUnit) }
  }

  async listStaff(query: StaffListQuery): Promise<{ total: number; items: Person[] }> {
    const filter: Filter<PersonDocument> = {}
    if (query.unitId !== undefined) filter.unitId = query.unitId
    if (query.role) filter.roles = query.role
    if (query.active !== undefined) filter.active = query.active
    const [total, documents] = await Promise.all([
      this.staff.countDocuments(filter),
      this.staff.find(filter).sort({ _id: 1 }).skip(query.offset).limit(query.limit).toArray(),
    ])
    return { total, items: documents.map(toPerson) }
  }

  /** The user ids among `userIds` that the directory already holds. */
  async existingUserIds(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set()
    const found = await this.staff.find({ _id: { $in: [...userIds] } }, { projection: { _id: 1 } }).toArray()
    return new Set(found.map((d) => d._id))
  }

  async isEmpty(): Promise<boolean> {
    const [units, staff] = await Promise.all([
      this.units.countDocuments({}, { limit: 1 }),
      this.staff.countDocuments({}, { limit: 1 }),
    ])
    return units === 0 && staff === 0
  }

  // ---- writes (idempotent: the same call twice leaves the same document) ----

  /** Inserts a new unit; false when the id is taken. */
  async insertUnit(unit: Unit): Promise<boolean> {
    const { id, ...rest } = unit
    try {
      await this.units.insertOne({ _id: id, ...rest, updatedAt: new Date() })
      return true
    } catch (err) {
      if (isDuplicateKey(err)) return false
      throw err
    }
  }

  /** Inserts a new person; false when the user id is taken. */
  async insertPerson(person: Person): Promise<boolean> {
    const { userId, ...rest } = person
    try {
      await this.staff.insertOne({ _id: userId, ...rest, updatedAt: new Date() })
      return true
    } catch (err) {
      if (isDuplicateKey(err)) return false
      throw err
    }
  }

  /** Inserts or replaces a unit by id. */
  async upsertUnit(unit: Unit): Promise<void> {
    const { id, ...rest } = unit
    await this.units.replaceOne({ _id: id }, { ...rest, updatedAt: new Date() }, { upsert: true })
  }

  /** Inserts or replaces a person by user id. */
  async upsertPerson(person: Person): Promise<void> {
    const { userId, ...rest } = person
    await this.staff.replaceOne({ _id: userId }, { ...rest, updatedAt: new Date() }, { upsert: true })
  }
}
