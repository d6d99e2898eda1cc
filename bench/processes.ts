// The stack's processes as the operating system sees them (Linux /proc): which pid plays which
// role, and how much memory and CPU time each has used. Benchmarks read these to say where the
// time went, not just how long things took.
import { readdir, readFile } from 'node:fs/promises'

export type Role = 'worker' | 'api' | 'temporal' | 'ferretdb'

/** RSS and CPU time of one process, from /proc (Linux). */
export async function processStats(
  pid: number,
): Promise<{ rssMb: number; hwmMb: number; cpuSeconds: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN)
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ')
  const ticks = Number(stat[11]) + Number(stat[12])
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024, cpuSeconds: ticks / 100 }
}

/** This process's descendants by role (worker, api, temporal, ferretdb), from /proc. */
export async function stackProcesses(): Promise<Map<Role, number[]>> {
  const parents = new Map<number, number>()
  const commands = new Map<number, string>()
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
      parents.set(pid, Number(stat.split(') ')[1]!.split(' ')[1]))
      commands.set(pid, (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' '))
    } catch {
      // gone meanwhile
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
      if (p === process.pid) return true
    return false
  }
  const roles = new Map<Role, number[]>()
  for (const [pid, command] of commands) {
    if (!mine(pid)) continue
    const role: Role | undefined = / worker\.ts/.test(command)
      ? 'worker'
      : / api\/main\.ts/.test(command)
        ? 'api'
        : /temporal server start-dev/.test(command)
          ? 'temporal'
          : /ferretdb /.test(command)
            ? 'ferretdb'
            : undefined
    if (role) roles.set(role, [...(roles.get(role) ?? []), pid])
  }
  return roles
}

/** CPU seconds used so far by each role's processes together. */
export async function cpuByRole(pids: Map<Role, number[]>): Promise<Map<Role, number>> {
  const cpu = new Map<Role, number>()
  for (const [role, list] of pids) {
    const stats = await Promise.all(list.map((pid) => processStats(pid).catch(() => ({ cpuSeconds: 0 }))))
    cpu.set(
      role,
      stats.reduce((sum, one) => sum + one.cpuSeconds, 0),
    )
  }
  return cpu
}
