// What a workflow costs the worker before it runs a line of its own: the SDK keeps a module cache
// per workflow (reusable V8 context), so each workflow it starts, or replays after evicting it from
// its cache, evaluates the workflow bundle's modules again — all but those preloaded once per
// context (`preloadModules` in worker.ts). This evaluates the bundle as the SDK does, in a V8
// context whose module cache is swapped per "workflow", and prints the time per workflow with
// nothing shared and with the preloaded libraries shared.
//
//   npm run bench:workflow-modules -- [--rounds 50]
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import vm from 'node:vm'
import { buildWorkflowBundle } from '../scripts/bundle-workflows'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '50' } } })
const rounds = Number(values.rounds)

type ModuleCache = Record<string, { exports?: unknown }>
// With --expose-gc (the npm script passes it) the heap figure counts only what each workflow keeps.
const gc = (globalThis as { gc?: () => void }).gc
const file = await buildWorkflowBundle(path.join(tmpdir(), `workflow-modules-${process.pid}.js`))
const context = vm.createContext({ TextEncoder, TextDecoder, URL, AbortController, queueMicrotask })
let cache: ModuleCache = {}
Object.defineProperty(context, '__webpack_module_cache__', {
  value: new Proxy(
    {},
    { get: (_, id: string) => cache[id], set: (_, id: string, m) => ((cache[id] = m), true) },
  ),
})
vm.runInContext(await readFile(file, 'utf8'), context)
const bundle = vm.runInContext('globalThis.__TEMPORAL__', context) as {
  importWorkflows(): unknown
  preloadModules?(): void
}

/** Milliseconds per workflow to evaluate the workflows' modules, starting each from `shared`. */
function perWorkflow(shared: ModuleCache): { ms: number; heapMb: number } {
  cache = { ...shared }
  bundle.importWorkflows() // warm-up (V8 compiles the module functions once)
  gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const kept: ModuleCache[] = []
  const started = performance.now()
  for (let i = 0; i < rounds; i++) {
    cache = { ...shared }
    bundle.importWorkflows()
    kept.push(cache) // as the worker's cache keeps each workflow's modules
  }
  const ms = (performance.now() - started) / rounds
  gc?.()
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / rounds / 1e6
  return { ms, heapMb }
}

cache = {}
bundle.preloadModules?.()
const preloaded = { ...cache }
const none = perWorkflow({})
const withPreload = perWorkflow(preloaded)
const line = (label: string, r: { ms: number; heapMb: number }) =>
  `${label.padEnd(44)} ${r.ms.toFixed(1).padStart(6)} ms  ~${r.heapMb.toFixed(1)} MB heap per workflow`
console.log(
  `workflow bundle modules, evaluated ${rounds} times each way (${Object.keys(preloaded).length} modules preloaded):`,
)
console.log(line('nothing shared', none))
console.log(line('preloaded modules shared (as the worker)', withPreload))
