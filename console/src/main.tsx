import { createRoot } from 'react-dom/client'
import { App } from './app'
import { prefetchTasksIfOpening } from './pages/tasks'

prefetchTasksIfOpening()

createRoot(document.getElementById('root')!).render(<App />)
