// Reads one JSON job per line on stdin and prints one JSON line per job, as epcis2.js (GS1's
// JS SDK for EPCIS 2.0) answers it:
//   {"event": {...}, "context": [...]} -> {"prehash", "hash"}, or {"error"} when it refuses
//     the event. The hash comes from the package's published entry point (`eventToHashedId`);
//     the pre-hash string, which the package computes but does not export, from the same
//     version's ES module source, loaded with the hooks below.
//   {"validate": document} -> {"valid", "errors"}: the verdict of `validateEpcisDocument`
//     (its bundled EPCIS 2.0 JSON schema and its checks of field names), or {"error"}.
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
const { eventToHashedId, validateEpcisDocument } = epcis2
const { eventToPreHashedString } = await import(
  'epcis2.js/src/hash_generator/EPCISEventToPreHashedString.js'
)

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue
  const job = JSON.parse(line)
  let out
  try {
    out = 'validate' in job ? validate(job.validate) : hash(job)
  } catch (error) {
    out = { error: String(error?.message ?? error) }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`)
}

function validate (document) {
  const { success, errors } = validateEpcisDocument(structuredClone(document), false)
  return { valid: success, errors }
}

function hash ({ event, context }) {
  // Both functions expand CBV terms in place, so each gets its own copy.
  const prehash = eventToPreHashedString(structuredClone(event), context)
  const hashId = eventToHashedId(structuredClone(event), context)
  const digest = createHash('sha256').update(prehash).digest('hex')
  if (hashId !== `ni:///sha-256;${digest}?ver=CBV2.0`) {
    throw new Error(`the published ${hashId} is not the hash of the source's ${prehash}`)
  }
  return { prehash, hash: hashId }
}
