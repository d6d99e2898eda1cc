// `npm run build:workflows [-- <file>]`: bundles the workflow code once (default
// dist/workflow-bundle.js). A worker started with WORKFLOW_BUNDLE=<file> loads it instead of
// bundling at start, so a restarted worker polls again within a second or two.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bundleWorkflowCode } from '@temporalio/worker'
import { preloadModules, workflowsPath } from '../worker'
import { repoRoot } from './provision'

export async function buildWorkflowBundle(file: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, preloadModules, logger: quiet })
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, code)
  return file
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} }

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.join(repoRoot, 'scripts', 'bundle-workflows.ts')
) {
  const file = path.resolve(process.argv[2] ?? path.join(repoRoot, 'dist', 'workflow-bundle.js'))
  await buildWorkflowBundle(file)
  process.stdout.write(`workflow bundle: ${file} (start the worker with WORKFLOW_BUNDLE=${file})\n`)
}
