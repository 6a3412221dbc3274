// Reads one JSON job per line on stdin and prints the root CID the JS UnixFS importer
// (the one Helia uses) gives it. A job: {"files": [{"name", "size", "seed"}], "wrap",
// "options": {"profile", "cidVersion", "rawLeaves", "chunkSize", "maxChildrenPerNode"}}.
// File bytes are AES-128-CTR keystream under key sha256(seed)[:16], the same stream the
// Python tests generate, so no bytes cross the pipe.
import { createCipheriv, createHash } from 'node:crypto'
import { createInterface } from 'node:readline'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

const PIECE = 1024 * 1024

async function * content (size, seed) {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16)
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16))
  for (let left = size; left > 0; left -= PIECE) {
    yield cipher.update(Buffer.alloc(Math.min(PIECE, left)))
  }
}

const blockstore = { put: async (cid) => cid }

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue
  const job = JSON.parse(line)
  const { chunkSize, maxChildrenPerNode, ...options } = job.options ?? {}
  if (chunkSize !== undefined) options.chunker = fixedSize({ chunkSize })
  if (maxChildrenPerNode !== undefined) options.layout = balanced({ maxChildrenPerNode })
  options.wrapWithDirectory = job.wrap ?? false
  const candidates = job.files.map((f) => ({ path: f.name, content: content(f.size, f.seed) }))
  let root
  for await (const entry of importer(candidates, blockstore, options)) root = entry.cid
  process.stdout.write(`${root.toString()}\n`)
}
