// Reads one JSON job per line on stdin, {"event": {...}, "context": [...]}, and prints one
// JSON line per job: {"prehash", "hash"} as epcis2.js (GS1's JS SDK for EPCIS 2.0) computes
// them, or {"error"} when it refuses the event. The hash comes from the package's published
// entry point (`eventToHashedId`); the pre-hash string, which the package computes but does
// not export, from the same version's ES module source, loaded with the hooks below.
import { createHash } from 'node:crypto'
import { register } from 'node:module'
import { createInterface } from 'node:readline'
import epcis2 from 'epcis2.js'

// The package's `src` is untranspiled ES module code with extensionless relative imports.
const hooks = `
const SRC = '/node_modules/epcis2.js/src/'
export async function resolve (specifier, context, next) {
  const parent = context.parentURL ?? ''
  if (parent.includes(SRC) && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    return next(specifier + '.js', context)
  }
  return next(specifier, context)
}
export async function load (url, context, next) {
  if (url.includes(SRC)) return next(url, { ...context, format: 'module' })
  return next(url, context)
}
`
register(`data:text/javascript,${encodeURIComponent(hooks)}`)
const { eventToHashedId } = epcis2
const { eventToPreHashedString } = await import(
  'epcis2.js/src/hash_generator/EPCISEventToPreHashedString.js'
)

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue
  const { event, context } = JSON.parse(line)
  let out
  try {
    // Both functions expand CBV terms in place, so each gets its own copy.
    const prehash = eventToPreHashedString(structuredClone(event), context)
    const hash = eventToHashedId(structuredClone(event), context)
    const digest = createHash('sha256').update(prehash).digest('hex')
    if (hash !== `ni:///sha-256;${digest}?ver=CBV2.0`) {
      throw new Error(`the published ${hash} is not the hash of the source's ${prehash}`)
    }
    out = { prehash, hash }
  } catch (error) {
    out = { error: String(error?.message ?? error) }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`)
}
