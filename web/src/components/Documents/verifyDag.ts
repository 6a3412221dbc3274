/**
 * Verifies a document in the browser from the content-addressed DAG alone, trusting no
 * server: every block of the CAR must hash to its CID, the file is reassembled only from
 * blocks reached by dag-pb links from the root, and the whole must have the SHA-256 and
 * size the record names. Only bytes that passed all of that are returned.
 *
 *     root (dag-pb, UnixFS file)
 *       ├── leaf (raw)  ── bytes 0 … 1 MiB
 *       └── leaf (raw)  ── bytes 1 MiB … end
 */
import * as dagPb from '@ipld/dag-pb';
import { CarReader } from '@ipld/car/reader';
import { UnixFS } from 'ipfs-unixfs';
import { base58btc } from 'multiformats/bases/base58';
import { equals } from 'multiformats/bytes';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';

/** Why a document is not what its record says; the message is shown as is. */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
}

export interface Expected {
  readonly cid: string;
  readonly sha256: string;
  readonly size: number;
}

export type Progress =
  | { readonly stage: 'blocks'; readonly verified: number; readonly total: number }
  | { readonly stage: 'file' };

type Blocks = ReadonlyMap<string, Uint8Array>;

interface Block {
  readonly cid: CID;
  readonly bytes: Uint8Array;
}

const keyOf = (cid: CID) => base58btc.encode(cid.multihash.bytes);

/** The CAR's blocks as it lists them, unchecked. */
async function readCar(car: Uint8Array): Promise<Block[]> {
  const blocks: Block[] = [];
  try {
    const reader = await CarReader.fromBytes(car);
    for await (const block of reader.blocks()) blocks.push(block);
  } catch (error) {
    throw new VerificationError(`the archive is not a valid CAR (${String(error)})`);
  }
  return blocks;
}

/** Every block of the CAR, by multihash, each checked against its own CID. */
async function verifiedBlocks(
  all: readonly Block[],
  onProgress: (progress: Progress) => void,
): Promise<Blocks> {
  const blocks = new Map<string, Uint8Array>();
  for (const { cid, bytes } of all) {
    if (cid.multihash.code !== sha256.code) {
      throw new VerificationError(`block ${cid.toString()} is not hashed with SHA-256`);
    }
    const digest = await sha256.digest(bytes);
    if (!equals(digest.bytes, cid.multihash.bytes)) {
      throw new VerificationError(`block ${cid.toString()} does not match its hash`);
    }
    blocks.set(keyOf(cid), bytes);
    onProgress({ stage: 'blocks', verified: blocks.size, total: all.length });
  }
  return blocks;
}

/** The file's bytes under `cid`, in order, from verified blocks only. */
function assemble(cid: CID, blocks: Blocks, parts: Uint8Array[]): number {
  const bytes = blocks.get(keyOf(cid));
  if (bytes === undefined) {
    throw new VerificationError(`block ${cid.toString()} is missing from the archive`);
  }
  if (cid.code === raw.code) {
    parts.push(bytes);
    return bytes.length;
  }
  if (cid.code !== dagPb.code) {
    throw new VerificationError(`block ${cid.toString()} is neither raw nor dag-pb`);
  }
  const node = dagPb.decode(bytes);
  const unixfs = node.Data === undefined ? null : UnixFS.unmarshal(node.Data);
  if (unixfs === null || (unixfs.type !== 'file' && unixfs.type !== 'raw')) {
    throw new VerificationError(`block ${cid.toString()} is not part of a file`);
  }
  let length = 0;
  if (unixfs.data !== undefined) {
    parts.push(unixfs.data);
    length += unixfs.data.length;
  }
  node.Links.forEach((link, index) => {
    const size = assemble(link.Hash, blocks, parts);
    const declared = unixfs.blockSizes[index];
    if (declared !== undefined && BigInt(size) !== declared) {
      throw new VerificationError(`block ${link.Hash.toString()} holds ${size} bytes, not ${declared}`);
    }
    length += size;
  });
  return length;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The document's bytes, once the CAR proved them to be what `expected` names. */
export async function verifyDag(
  car: Uint8Array,
  expected: Expected,
  onProgress: (progress: Progress) => void = () => undefined,
): Promise<Uint8Array<ArrayBuffer>> {
  let root: CID;
  try {
    root = CID.parse(expected.cid);
  } catch {
    throw new VerificationError(`${expected.cid} is not a CID`);
  }
  const blocks = await verifiedBlocks(await readCar(car), onProgress);
  onProgress({ stage: 'file' });
  const parts: Uint8Array[] = [];
  const length = assemble(root, blocks, parts);
  const whole = concat(parts, length);
  if (whole.length !== expected.size) {
    throw new VerificationError(`the file has ${whole.length} bytes; the record says ${expected.size}`);
  }
  const actual = await sha256Hex(whole);
  if (actual !== expected.sha256.toLowerCase()) {
    throw new VerificationError(`the file's SHA-256 is ${actual}; the record says ${expected.sha256}`);
  }
  return whole;
}
