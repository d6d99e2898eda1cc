// temporal-docker-compose.yml is never started here (no Docker engine), so this test checks what would break
// a real `docker compose up` or drift silently from the code: images, the search attributes the admin job
// registers (the list in domain/search-attributes.ts), and the worker's and API's environment against the
// variables runtime/config.ts reads.
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { searchAttributeCliTypes } from '../../domain/search-attributes'
import { configKeys } from '../../runtime/config'
import { CLUSTER_TOOL_VERSIONS } from '../../scripts/cluster/tools'
import {
  dynamicConfigFile,
  serverConfigTemplate,
  temporalProcesses,
  temporalServerArgs,
  temporalServerEnv,
  type TemporalProcess,
} from '../../scripts/cluster/topology'

type EnvValue = string | number | boolean | null
interface Service {
  image?: string
  build?: unknown
  entrypoint?: string | string[]
  command?: string | string[]
  environment?: Record<string, EnvValue> | string[]
  ports?: (string | number | { target: number | string; published?: number | string })[]
  volumes?: (string | { type?: string; source?: string; target: string })[]
  depends_on?: string[] | Record<string, { condition?: string }>
  healthcheck?: { test?: string | string[] }
}
interface Compose {
  services: Record<string, Service>
}

const root = new URL('../../', import.meta.url)
const composeFile = 'temporal-docker-compose.yml'
// merge: Compose honours YAML merge keys (`<<: *anchor`), so the test must too.
const compose = parse(readFileSync(new URL(composeFile, root), 'utf8'), { merge: true }) as Compose

function service(name: string): Service {
  const found = compose.services?.[name]
  if (!found) throw new Error(`${composeFile} has no service "${name}"`)
  return found
}

/** The environment as Compose passes it; a variable without a value is passed through from the deployer. */
function environment(name: string): Record<string, string | undefined> {
  const env = service(name).environment ?? {}
  const entries: [string, string | undefined][] = Array.isArray(env)
    ? env.map((item) => {
        const eq = item.indexOf('=')
        return eq < 0 ? [item, undefined] : [item.slice(0, eq), item.slice(eq + 1)]
      })
    : Object.entries(env).map(([key, value]) => [key, value === null ? undefined : String(value)])
  return Object.fromEntries(entries)
}

/** Applies the defaults of `${VAR:-default}` / `${VAR-default}`, as for a deployer who sets nothing. */
function withDefaults(value: string): string {
  return value.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, '$1')
}

/** The shell script a service runs: entrypoint and command, with Compose's `$$` escape turned into `$`. */
function script(name: string): string {
  const { entrypoint, command } = service(name)
  return [entrypoint, command]
    .flat()
    .filter((part): part is string => typeof part === 'string')
    .join('\n')
    .replaceAll('$$', '$')
}

function imageName(image: string): string {
  const withoutDigest = image.split('@')[0]!
  const tagAt = withoutDigest.lastIndexOf(':')
  return tagAt > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, tagAt) : withoutDigest
}

function imageTag(image: string): string {
  return image.slice(imageName(image).length + 1).split('@')[0]!
}

/** Published ports as { host, container }, from the short ("[ip:]host:container[/proto]") or long syntax. */
function ports(name: string): { host: string; container: string }[] {
  return (service(name).ports ?? []).map((port) => {
    if (typeof port === 'object')
      return { host: String(port.published ?? ''), container: String(port.target) }
    const parts = String(port).split('/')[0]!.split(':')
    return { host: parts.length > 1 ? parts.at(-2)! : '', container: parts.at(-1)! }
  })
}

function dependencies(name: string): Record<string, string | undefined> {
  const dependsOn = service(name).depends_on ?? []
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((dep) => [dep, undefined]))
  return Object.fromEntries(Object.entries(dependsOn).map(([dep, options]) => [dep, options?.condition]))
}

/**
 * Every `temporal operator search-attribute create` in a script, as name → types (several types for one
 * name is a conflict), plus the lines whose --name/--type pairs could not be read.
 */
function registeredSearchAttributes(text: string): {
  registered: Map<string, string[]>
  unreadable: string[]
} {
  const registered = new Map<string, string[]>()
  const unreadable: string[] = []
  for (const rawLine of text.replace(/\\\n/g, ' ').split('\n')) {
    const line = rawLine.trim()
    if (line.startsWith('#') || !/\btemporal\s+operator\s+search-attribute\s+create\b/.test(line)) continue
    const unquote = (s: string) => s.replace(/^["']|["']$/g, '')
    const names = [...line.matchAll(/--name[=\s]+(\S+)/g)].map((m) => unquote(m[1]!))
    const types = [...line.matchAll(/--type[=\s]+(\S+)/g)].map((m) => unquote(m[1]!))
    if (names.length === 0 || names.length !== types.length) {
      unreadable.push(line)
      continue
    }
    names.forEach((name, i) => registered.set(name, [...(registered.get(name) ?? []), types[i]!]))
  }
  return { registered, unreadable }
}

/** The host file a service sees at `containerPath` through its bind mounts, if any. */
function hostFileOf(name: string, containerPath: string): string | undefined {
  const mount = (service(name).volumes ?? [])
    .map((volume) => (typeof volume === 'string' ? volume.split(':') : [volume.source ?? '', volume.target]))
    .find(([, target]) => target && containerPath.startsWith(`${target}/`))
  if (!mount) return undefined
  const [source, target] = mount
  return new URL(`${source!.replace(/^\.\//, '')}${containerPath.slice(target!.length)}`, root).pathname
}

const appServices = ['worker', 'api'] as const

describe(composeFile, () => {
  it('has the production services with their images, and no deprecated temporalio/auto-setup', () => {
    const expected: Record<string, string> = {
      postgresql: 'postgres',
      'temporal-schema-setup': 'temporalio/admin-tools',
      temporal: 'temporalio/server',
      'temporal-admin-tools': 'temporalio/admin-tools',
      'temporal-ui': 'temporalio/ui',
      mongodb: 'mongo',
    }
    for (const [name, image] of Object.entries(expected)) {
      expect(imageName(service(name).image ?? ''), `image of service "${name}"`).toBe(image)
    }
    expect(imageTag(service('postgresql').image!), 'PostgreSQL major version').toMatch(/^16\b/)
    expect(imageTag(service('mongodb').image!), 'MongoDB major version').toMatch(/^8\b/)
    // admin-tools carries the schema files: they must be those of the server version.
    expect(imageTag(service('temporal-schema-setup').image!), 'admin-tools version = server version').toBe(
      imageTag(service('temporal').image!),
    )
    const autoSetup = Object.entries(compose.services)
      .filter(([, svc]) => svc.image?.includes('auto-setup'))
      .map(([name]) => name)
    expect(autoSetup, 'services still on temporalio/auto-setup').toEqual([])
    for (const name of appServices) {
      expect(service(name).build, `service "${name}" is built from the repository Dockerfile`).toBeDefined()
    }
  })

  it('creates the Temporal schema with temporal-sql-tool before the server starts', () => {
    const setup = script('temporal-schema-setup')
    for (const db of ['temporal', 'temporal_visibility']) {
      for (const step of ['create', 'setup-schema', 'update-schema']) {
        expect(setup, `temporal-schema-setup runs "${step}" on database ${db}`).toMatch(
          new RegExp(`temporal-sql-tool\\b.*--db ${db} ${step}\\b`),
        )
      }
    }
    expect(environment('temporal-schema-setup').SQL_PLUGIN).toBe('postgres12')
    expect(environment('temporal').DB).toBe('postgres12')
    expect(dependencies('temporal')['temporal-schema-setup']).toBe('service_completed_successfully')
  })

  it('mounts the dynamic config file the server needs to start', () => {
    const path = environment('temporal').DYNAMIC_CONFIG_FILE_PATH ?? ''
    const hostFile = hostFileOf('temporal', path)
    expect(
      hostFile,
      `a volume mounted over the directory of DYNAMIC_CONFIG_FILE_PATH (${path})`,
    ).toBeDefined()
    expect(existsSync(hostFile!), `${hostFile} exists`).toBe(true)
  })

  it('temporal-admin-tools registers exactly the search attributes of domain/search-attributes.ts', () => {
    const expected = searchAttributeCliTypes()
    const { registered, unreadable } = registeredSearchAttributes(script('temporal-admin-tools'))
    expect(unreadable, 'search-attribute create lines without matching --name/--type pairs').toEqual([])

    const missing = Object.keys(expected).filter((name) => !registered.has(name))
    const extra = [...registered.keys()].filter((name) => !(name in expected))
    const wrongType = Object.entries(expected)
      .filter(([name, type]) => registered.has(name) && registered.get(name)!.some((t) => t !== type))
      .map(([name, type]) => `${name}: registered as ${registered.get(name)!.join(', ')}, code says ${type}`)
    const duplicated = [...registered].filter(([, types]) => types.length > 1).map(([name]) => name)

    // Soft, so one run names every difference.
    expect.soft(missing, 'in domain/search-attributes.ts, not registered by temporal-admin-tools').toEqual([])
    expect.soft(extra, 'registered by temporal-admin-tools, not in domain/search-attributes.ts').toEqual([])
    expect.soft(wrongType, 'search attributes registered with another type than in the code').toEqual([])
    expect.soft(duplicated, 'search attributes registered more than once').toEqual([])
  })

  it('the admin job creates the namespace the worker and API use, after the server is healthy', () => {
    const admin = script('temporal-admin-tools')
    expect(admin, 'waits until the server is serving').toMatch(/temporal operator cluster health/)
    expect(admin).toMatch(/temporal operator namespace create --namespace "\$TEMPORAL_NAMESPACE"/)
    const saLines = admin.split('\n').filter((line) => /search-attribute create/.test(line))
    for (const line of saLines) {
      expect(line, 'search attributes are registered in that namespace').toContain(
        '--namespace "$TEMPORAL_NAMESPACE"',
      )
    }
    const namespace = environment('temporal-admin-tools').TEMPORAL_NAMESPACE
    expect(namespace, 'temporal-admin-tools sets TEMPORAL_NAMESPACE').toBeDefined()
    for (const name of appServices) {
      expect(environment(name).TEMPORAL_NAMESPACE, `TEMPORAL_NAMESPACE of ${name}`).toBe(namespace)
    }
    expect(environment('temporal-ui').TEMPORAL_DEFAULT_NAMESPACE, 'namespace the UI opens').toBe(namespace)
    expect(dependencies('temporal-admin-tools').temporal).toBe('service_healthy')
  })

  it('worker and API use the same task queue and Temporal address as the admin job', () => {
    const [worker, api] = appServices.map(environment)
    expect(worker!.TEMPORAL_TASK_QUEUE, 'worker sets TEMPORAL_TASK_QUEUE').toBeDefined()
    expect(api!.TEMPORAL_TASK_QUEUE, 'API starts workflows on the queue the worker polls').toBe(
      worker!.TEMPORAL_TASK_QUEUE,
    )
    const address = environment('temporal-admin-tools').TEMPORAL_ADDRESS
    expect(address).toBe('temporal:7233')
    for (const name of [...appServices, 'temporal-ui']) {
      expect(environment(name).TEMPORAL_ADDRESS, `TEMPORAL_ADDRESS of ${name}`).toBe(address)
    }
  })

  it.each(appServices)('%s sets only variables that runtime/config.ts reads', (name) => {
    const env = environment(name)
    const known = new Set<string>(configKeys)
    const unknown = Object.keys(env).filter((key) => !known.has(key))
    expect(unknown, `${name} sets variables that are not keys of configSchema in runtime/config.ts`).toEqual(
      [],
    )
    expect(env.NODE_ENV).toBe('production')
    // Secrets come from the deployer's environment; Compose refuses to start without them.
    for (const secret of ['JWT_SECRET', 'PAYLOAD_KEYS']) {
      expect(env[secret], `${name}: ${secret} is required from the deployer`).toMatch(
        new RegExp(`^\\$\\{${secret}:\\?[^}]+\\}$`),
      )
    }
    expect(
      dependencies(name),
      `${name} starts after the namespace and search attributes exist`,
    ).toMatchObject({
      'temporal-admin-tools': 'service_completed_successfully',
      mongodb: 'service_healthy',
    })
  })

  it('the API listens on all interfaces, on the port it publishes', () => {
    const env = environment('api')
    expect(env.API_HOST).toBe('0.0.0.0')
    const published = ports('api')
    expect(published, 'api publishes its port').toContainEqual({ host: '3000', container: env.API_PORT })
    expect(service('api').healthcheck?.test, 'api has a healthcheck').toBeDefined()
  })

  it('the Temporal UI is on port 8233 and decodes payloads through the API /codec endpoint', () => {
    expect(ports('temporal-ui'), 'UI published on 8233 (the UI image listens on 8080)').toContainEqual({
      host: '8233',
      container: environment('temporal-ui').TEMPORAL_UI_PORT ?? '8080',
    })
    // The browser calls the codec endpoint, so it is the API's published URL, not the container name.
    const apiPort = ports('api')[0]!.host
    const codec = withDefaults(environment('temporal-ui').TEMPORAL_CODEC_ENDPOINT ?? '')
    expect(codec, 'TEMPORAL_CODEC_ENDPOINT (defaults applied)').toBe(`http://localhost:${apiPort}/codec`)
    expect(withDefaults(environment('temporal-ui').TEMPORAL_CORS_ORIGINS ?? '')).toBe('http://localhost:8233')
  })

  it('MongoDB runs as a replica set that the connection string names', () => {
    const command = [service('mongodb').command].flat().join(' ')
    const replSet = /--replSet[=\s]+(\S+)/.exec(command)?.[1]
    expect(replSet, 'mongod --replSet').toBeDefined()
    for (const name of appServices) {
      expect(environment(name).MONGODB_URI, `MONGODB_URI of ${name}`).toMatch(
        new RegExp(`^mongodb://mongodb:27017/[^?]+\\?(.*&)?replicaSet=${replSet}(&|$)`),
      )
    }
    expect(
      service('mongodb').healthcheck?.test,
      'mongodb healthcheck (initiates the replica set)',
    ).toBeDefined()
  })
})

describe('the local cluster (npm run start:cluster) and the compose file', () => {
  const template = readFileSync(serverConfigTemplate, 'utf8')
  const read = new Set([...template.matchAll(/"([A-Z0-9_]+)"/g)].map((m) => m[1]!))
  // `range $name := list "A" "B" …` with `fail` for each one unset.
  const requiredList = /range \$name := list ((?:"[A-Z0-9_]+" ?)+)/.exec(template)?.[1] ?? ''
  const required = [...requiredList.matchAll(/"([A-Z0-9_]+)"/g)].map((m) => m[1]!)
  const ports = {
    frontend: { grpc: 7233, http: 7243, membership: 6933 },
    history: [
      { grpc: 7234, membership: 6934 },
      { grpc: 7244, membership: 6944 },
    ],
    matching: { grpc: 7235, membership: 6935 },
    worker: { grpc: 7239, membership: 6939 },
  }
  const clusterEnv = (process: TemporalProcess) =>
    temporalServerEnv({
      process,
      historyShards: 16,
      postgres: { host: '127.0.0.1', port: 5433, user: 'postgres' },
      bindOn: '127.0.0.1',
      ports,
      logLevel: 'warn',
    })

  it('use the same server config template and the same dynamic config file', () => {
    const env = environment('temporal')
    expect(template.split('\n').slice(0, 3).join('\n'), 'the server renders it as a template').toMatch(
      /#.*enable-template/,
    )
    expect(hostFileOf('temporal', env.TEMPORAL_SERVER_CONFIG_FILE_PATH ?? ''), 'compose').toBe(
      serverConfigTemplate,
    )
    for (const name of Object.keys(temporalProcesses) as TemporalProcess[]) {
      const args = temporalServerArgs(name)
      expect(args[args.indexOf('--config-file') + 1], name).toBe(serverConfigTemplate)
      expect(clusterEnv(name).DYNAMIC_CONFIG_FILE_PATH, name).toBe(dynamicConfigFile)
    }
    expect(hostFileOf('temporal', env.DYNAMIC_CONFIG_FILE_PATH ?? ''), 'compose').toBe(dynamicConfigFile)
  })

  it('both set every variable the template requires, and only variables it reads', () => {
    expect(required).toContain('NUM_HISTORY_SHARDS')
    const composeEnv = environment('temporal')
    // The image's entrypoint sets these two itself; the template reads them.
    const imageSets = new Set(['BIND_ON_IP', 'TEMPORAL_BROADCAST_ADDRESS'])
    for (const variable of required) {
      expect(composeEnv[variable], `compose sets ${variable}`).toBeDefined()
      for (const name of Object.keys(temporalProcesses) as TemporalProcess[]) {
        expect(clusterEnv(name)[variable], `${name} sets ${variable}`).toBeDefined()
      }
    }
    const composeUnread = Object.keys(composeEnv).filter(
      (key) => !read.has(key) && key !== 'TEMPORAL_SERVER_CONFIG_FILE_PATH' && !imageSets.has(key),
    )
    expect(composeUnread, 'compose sets variables the template does not read').toEqual([])
    for (const name of Object.keys(temporalProcesses) as TemporalProcess[]) {
      const unread = Object.keys(clusterEnv(name)).filter((key) => !read.has(key))
      expect(unread, `${name} sets variables the template does not read`).toEqual([])
    }
  })

  it('the two history hosts differ only in their ports, and the cluster has at least 16 history shards', () => {
    const [one, two] = [clusterEnv('history-1'), clusterEnv('history-2')]
    const differing = Object.keys(one).filter((key) => one[key] !== two[key])
    expect(differing.sort()).toEqual(['HISTORY_GRPC_PORT', 'HISTORY_MEMBERSHIP_PORT'])
    expect(Number(one.NUM_HISTORY_SHARDS)).toBeGreaterThanOrEqual(16)
    expect(Number(environment('temporal').NUM_HISTORY_SHARDS)).toBeGreaterThanOrEqual(16)
  })

  it('run the Temporal server version the local cluster builds', () => {
    expect(imageTag(service('temporal').image!)).toBe(CLUSTER_TOOL_VERSIONS.temporalServer.replace(/^v/, ''))
  })
})
