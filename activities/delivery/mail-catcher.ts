// A real SMTP server in-process (the `smtp-server` package, by nodemailer's authors) that keeps
// what it receives: the development mail catcher `npm start` runs when no SMTP_URL is set, and
// the receiving end of the e-mail tests and the delivery benchmark. Loopback only, no auth.
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface CaughtMail {
  receivedAt: Date
  messageId: string | null
  from: string
  to: string[]
  subject: string
  text: string
  /** Extra headers a reader may want (e.g. X-Notice-Key). */
  noticeKey: string | null
  size: number
}

export interface MailCatcherOptions {
  port?: number
  /** Called with each accepted message (store it, count it). */
  onMail?: (mail: CaughtMail) => void | Promise<void>
  /**
   * Fault injection for tests: return an SMTP reply code (e.g. 451) to refuse this message after
   * receiving it, or a promise to hold the reply (a slow server).
   */
  beforeReply?: (mail: CaughtMail) => number | undefined | Promise<number | undefined>
}

export interface MailCatcher {
  port: number
  url: string
  received: CaughtMail[]
  close(): Promise<void>
}

function addressText(value: unknown): string {
  if (!value) return ''
  const list = Array.isArray(value) ? value : [value]
  return list.map((v: { text?: string }) => v.text ?? '').join(', ')
}

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const received: CaughtMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    banner: 'after-sales mail catcher',
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('error', (err) => callback(err))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks)
        void (async () => {
          try {
            const parsed = await simpleParser(raw)
            const header = parsed.headers.get('x-notice-key')
            const mail: CaughtMail = {
              receivedAt: new Date(),
              messageId: parsed.messageId ?? null,
              from: addressText(parsed.from),
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              noticeKey: typeof header === 'string' ? header : null,
              size: raw.length,
            }
            const code = await options.beforeReply?.(mail)
            if (code) {
              const err = Object.assign(new Error(`refused by the test (${code})`), { responseCode: code })
              callback(err)
              return
            }
            received.push(mail)
            await options.onMail?.(mail)
            callback()
          } catch (err) {
            callback(err as Error)
          }
        })()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  server.on('error', () => undefined) // a client hanging up mid-message is not our failure
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
