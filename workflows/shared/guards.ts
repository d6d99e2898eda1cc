// Synchronous checks for update validators: they throw the rejection the API maps to 403/409.
import { ApplicationFailure } from '@temporalio/workflow'
import { Rejection } from '../../domain/rejections'
import type { Actor, Role } from '../../domain/roles'

export function requireRole(actor: Actor, allowed: readonly Role[], action: string): void {
  if (!allowed.includes(actor.role)) {
    throw ApplicationFailure.create({
      type: Rejection.forbidden,
      message: `${action} is for ${allowed.join(' or ')}, not ${actor.role}`,
      nonRetryable: true,
    })
  }
}

export function requireState<S extends string>(current: S, allowed: readonly S[], action: string): void {
  if (!allowed.includes(current)) {
    throw ApplicationFailure.create({
      type: Rejection.invalidState,
      message: `${action} is not possible while the case is ${current.replace(/_/g, ' ')}`,
      nonRetryable: true,
    })
  }
}
