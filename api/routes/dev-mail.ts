// /dev/mail: the messages the development mail catcher received (`npm start` without SMTP_URL
// runs one, see scripts/start.ts). Never in production: the routes are not even registered
// there (404). Elsewhere, open from this machine, an operator's token from others.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { Db } from 'mongodb'
import { z } from 'zod'
import type { CaughtMail } from '../../activities/delivery/mail-catcher'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'

type DevMailDocument = CaughtMail & { _id?: unknown }

/** Where the catcher keeps what it received; the API reads it back. */
export class DevMailStore {
  static readonly collection = 'dev_mail'
  constructor(private readonly db: Db) {}

  async add(mail: CaughtMail): Promise<void> {
    await this.db.collection<DevMailDocument>(DevMailStore.collection).insertOne({ ...mail })
  }

  async latest(limit: number): Promise<CaughtMail[]> {
    const docs = await this.db
      .collection<DevMailDocument>(DevMailStore.collection)
      .find({}, { projection: { _id: 0 } })
      .sort({ receivedAt: -1 })
      .limit(limit)
      .toArray()
    return docs.map(({ _id: _ignored, ...mail }) => mail)
  }
}

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

function page(mails: CaughtMail[]): string {
  const items = mails
    .map(
      (m) => `<article>
<h2>${escape(m.subject || '(no subject)')}</h2>
<p><b>To</b> ${escape(m.to.join(', '))} · <b>From</b> ${escape(m.from)} · <b>Received</b> ${escape(new Date(m.receivedAt).toISOString())}</p>
<p><b>Message-ID</b> <code>${escape(m.messageId ?? '')}</code>${m.noticeKey ? ` · <b>Notice</b> <code>${escape(m.noticeKey)}</code>` : ''}</p>
<pre>${escape(m.text)}</pre>
</article>`,
    )
    .join('\n<hr>\n')
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Development mail (${mails.length})</title></head>
<body>
<h1>Development mail catcher</h1>
<p>Messages the local SMTP catcher received, newest first (development only; JSON at <a href="/dev/mail/messages">/dev/mail/messages</a>).</p>
${items || '<p>No mail yet. Create a case and let its first-contact window pass.</p>'}
</body></html>`
}

export const devMailRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { config, db }) => {
  if (config.NODE_ENV === 'production') {
    // Declared so they answer 404 to anyone (unknown routes would ask for a token first).
    for (const url of ['/dev/mail', '/dev/mail/messages']) {
      app.get(url, { config: { allow: 'public' }, schema: { hide: true } }, async () => {
        throw new ProblemError(404, 'not-found', 'The development mail catcher is not served in production.')
      })
    }
    return
  }
  const store = new DevMailStore(db)
  const access = { loopback: 'public', otherwise: ['operator'] } as const
  const query = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict()

  app.get(
    '/dev/mail',
    {
      config: { allow: access },
      schema: { hide: true, querystring: query },
    },
    async (request, reply) => {
      const mails = await store.latest(request.query.limit)
      return reply.type('text/html; charset=utf-8').send(page(mails))
    },
  )

  app.get(
    '/dev/mail/messages',
    {
      config: { allow: access },
      schema: {
        summary: 'Development only: mail the local catcher received, newest first',
        tags: ['development'],
        querystring: query,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                receivedAt: z.string(),
                messageId: z.string().nullable(),
                from: z.string(),
                to: z.array(z.string()),
                subject: z.string(),
                text: z.string(),
                noticeKey: z.string().nullable(),
              }),
            ),
          }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (request) => ({
      items: (await store.latest(request.query.limit)).map(({ size: _size, ...m }) => ({
        ...m,
        receivedAt: new Date(m.receivedAt).toISOString(),
      })),
    }),
  )
}
