// Hash routes (`#/tasks`, `#/service-requests/SR-…`): the server serves one page at `/` and
// never has to tell a console path from an API path.
import { useEffect, useState } from 'react'

export function useRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean)
  const [route, setRoute] = useState(read)
  useEffect(() => {
    const onChange = () => setRoute(read())
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}

export const go = (path: string) => {
  window.location.hash = `#/${path}`
}

/** The query of the hash route (`#/reports/indicators?from=…` → from=…). */
export const routeQuery = (): URLSearchParams => new URLSearchParams(window.location.hash.split('?')[1] ?? '')

/** A notice's caseId (a case, `CU-…/callbacks`, `reports/monthly/…`, `QI-…`) → its page, or null. */
export { consolePage } from '../../domain/notices/links'
