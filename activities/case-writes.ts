// A case's own writes as data, so a workflow can send several in one local activity
// (`caseWrites`) and either side can make each through whichever activities it has.
import type { CaseSnapshot, Decision, Notification } from './records'

export type CaseWrite =
  | { kind: 'notify'; notification: Notification }
  | { kind: 'recordDecision'; decision: Decision }
  | { kind: 'upsertCase'; snapshot: CaseSnapshot }
export type CaseWriteResult = { created: boolean } | void
export interface CaseWritesDone {
  results: CaseWriteResult[]
  /** Epoch ms. */
  finishedAt: number
}

/** The three single writes, as activities (or their workflow proxies) offer them. */
export interface SingleWrites {
  notify(notification: Notification): Promise<{ created: boolean }>
  recordDecision(decision: Decision): Promise<void>
  upsertCase(snapshot: CaseSnapshot): Promise<void>
}

/** Makes `write` through `single`; the promise is the one `single` returns. */
export function makeCaseWrite(write: CaseWrite, single: SingleWrites): Promise<CaseWriteResult> {
  switch (write.kind) {
    case 'notify':
      return single.notify(write.notification)
    case 'recordDecision':
      return single.recordDecision(write.decision)
    case 'upsertCase':
      return single.upsertCase(write.snapshot)
  }
}
