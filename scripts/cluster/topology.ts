// The local cluster's layout as data: which files configure the Temporal server (the same ones
// temporal-docker-compose.yml mounts) and the environment each Temporal service process gets. Kept
// free of I/O so tests/unit/compose.test.ts can hold it against the compose file.
import path from 'node:path'
import { repoRoot } from '../provision'

/** The server configuration template, rendered by the server from its environment. */
export const serverConfigTemplate = path.join(repoRoot, 'deploy', 'temporal', 'config', 'server.yaml')
/** The dynamic configuration file. */
export const dynamicConfigFile = path.join(repoRoot, 'deploy', 'temporal', 'dynamicconfig', 'production.yaml')

/** The Temporal processes of the local cluster and the server service each one runs. */
export const temporalProcesses = {
  frontend: 'frontend',
  'history-1': 'history',
  'history-2': 'history',
  matching: 'matching',
  'worker-service': 'worker',
} as const
export type TemporalProcess = keyof typeof temporalProcesses

export interface ServicePorts {
  frontend: { grpc: number; http: number; membership: number }
  history: { grpc: number; membership: number }[]
  matching: { grpc: number; membership: number }
  worker: { grpc: number; membership: number }
}

/**
 * The environment of one Temporal process: the variables the config template reads. The two history
 * hosts differ only in their ports; every process knows every service's ports (the template lists all).
 */
export function temporalServerEnv(o: {
  process: TemporalProcess
  historyShards: number
  postgres: { host: string; port: number; user: string }
  bindOn: string
  ports: ServicePorts
  logLevel: string
}): Record<string, string> {
  const history = o.ports.history[o.process === 'history-2' ? 1 : 0]!
  return {
    LOG_LEVEL: o.logLevel,
    NUM_HISTORY_SHARDS: String(o.historyShards),
    DB: 'postgres12',
    POSTGRES_SEEDS: o.postgres.host,
    DB_PORT: String(o.postgres.port),
    POSTGRES_USER: o.postgres.user,
    POSTGRES_PWD: '',
    BIND_ON_IP: o.bindOn,
    DYNAMIC_CONFIG_FILE_PATH: dynamicConfigFile,
    FRONTEND_GRPC_PORT: String(o.ports.frontend.grpc),
    FRONTEND_HTTP_PORT: String(o.ports.frontend.http),
    FRONTEND_MEMBERSHIP_PORT: String(o.ports.frontend.membership),
    HISTORY_GRPC_PORT: String(history.grpc),
    HISTORY_MEMBERSHIP_PORT: String(history.membership),
    MATCHING_GRPC_PORT: String(o.ports.matching.grpc),
    MATCHING_MEMBERSHIP_PORT: String(o.ports.matching.membership),
    WORKER_GRPC_PORT: String(o.ports.worker.grpc),
    WORKER_MEMBERSHIP_PORT: String(o.ports.worker.membership),
  }
}

/** The command line of one Temporal process (after the server binary). */
export const temporalServerArgs = (process: TemporalProcess) => [
  '--config-file',
  serverConfigTemplate,
  '--allow-no-auth',
  'start',
  '--service',
  temporalProcesses[process],
]
