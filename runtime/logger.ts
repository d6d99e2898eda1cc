// pino for the API, the worker and activities. The Temporal runtime (core SDK, workflow
// and activity `log` calls) writes into the same logger, so one stream tells the story.
import { pino, type Logger } from 'pino'
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common'

export type { Logger } from 'pino'

/** Secret values wherever they would appear in a log line (configuration, robot secrets, SMTP). */
export const redactedPaths = [
  'JWT_SECRET',
  'PAYLOAD_KEYS',
  'SMTP_URL',
  'ROBOT_SECRETS',
  'SMS_WEBHOOK_SECRET',
  'OIDC_CLIENT_SECRET',
  '*.JWT_SECRET',
  '*.PAYLOAD_KEYS',
  '*.SMTP_URL',
  '*.ROBOT_SECRETS',
  '*.SMS_WEBHOOK_SECRET',
  '*.OIDC_CLIENT_SECRET',
  'secret',
  '*.secret',
  'accessToken',
  '*.accessToken',
  'password',
  '*.password',
  'smtpUrl',
  '*.smtpUrl',
]

export function createLogger(level: string, name: string): Logger {
  return pino({
    level,
    name,
    base: { service: name },
    redact: { paths: redactedPaths, censor: '[redacted]' },
  })
}

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
}

/** Adapts pino to the Logger interface Temporal's Runtime takes. */
export class TemporalPinoLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.logger[levels[level]](meta ?? {}, message)
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta)
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta)
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta)
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta)
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta)
  }
}
