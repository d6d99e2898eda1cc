// SV-03 (seed 003 4.6.3–4.6.4): product-quality services that repeat on one product model open a
// task for the QA department and the quality manager. Pure: which models of a month's statistics
// reach the policy's threshold.
import type { Role } from '../roles'
import { unrecorded } from './facts'

/** Who analyses a recurring quality problem and tracks its rectification. */
export const qualityIssueRoles = ['qa_department', 'quality_manager'] as const satisfies readonly Role[]

/** A model's issue id: one per model and month (`QI-202611-ZY-4000`). */
export const qualityIssueId = (month: string, model: string): string =>
  `QI-${month.replace('-', '')}-${model.replace(/[^A-Za-z0-9._-]/g, '_')}`

/** Models with at least `threshold` product-quality services (cases without a model are not one). */
export function recurringModels(
  productQualityByModel: Record<string, number>,
  threshold: number,
): { model: string; count: number }[] {
  return Object.entries(productQualityByModel)
    .filter(([model, count]) => model !== unrecorded && count >= threshold)
    .map(([model, count]) => ({ model, count }))
}
