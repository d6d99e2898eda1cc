// Prints a signed development token:
//   npm run --silent token -- --sub alice --roles supervisor[,engineer] [--ttl 8h]
// It signs with JWT_SECRET (or the dev-only default) and refuses to run in production.
import { parseArgs } from 'node:util'
import { SignJWT } from 'jose'
import { Role } from '../domain/roles'
import { loadConfig } from '../runtime/config'

const usage = 'usage: npm run --silent token -- --sub <user id> --roles <role>[,<role>...] [--ttl 8h]'

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`)
  process.exit(2)
}

const { values } = parseArgs({
  options: { sub: { type: 'string' }, roles: { type: 'string' }, ttl: { type: 'string', default: '8h' } },
})
const config = loadConfig()
if (config.NODE_ENV === 'production')
  fail('Refusing to mint tokens in production: use your identity provider.')
if (!config.JWT_SECRET)
  fail('JWT_SECRET is not set (JWKS_URL is configured): tokens come from your identity provider.')
if (!values.sub) fail('--sub is required.')
const roles = (values.roles ?? '').split(',').filter(Boolean)
if (roles.length === 0) fail('--roles is required.')
const unknown = roles.filter((r) => !Role.safeParse(r).success)
if (unknown.length) fail(`Unknown role ${unknown.join(', ')}; roles are: ${Role.options.join(', ')}.`)

const jwt = new SignJWT({ roles })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(values.sub)
  .setIssuedAt()
  .setExpirationTime(values.ttl!)
if (config.JWT_ISSUER) jwt.setIssuer(config.JWT_ISSUER)
if (config.JWT_AUDIENCE) jwt.setAudience(config.JWT_AUDIENCE)
process.stdout.write(`${await jwt.sign(new TextEncoder().encode(config.JWT_SECRET))}\n`)
