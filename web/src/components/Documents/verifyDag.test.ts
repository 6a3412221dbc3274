import * as dagPb from '@ipld/dag-pb';
import { CarWriter } from '@ipld/car/writer';
import { UnixFS } from 'ipfs-unixfs';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { VerificationError, verifyDag } from './verifyDag';

interface Block {
  readonly cid: CID;
  readonly bytes: Uint8Array;
}

async function rawBlock(bytes: Uint8Array): Promise<Block> {
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes };
}

/** A two-leaf UnixFS file, as the importer lays one out. */
async function twoLeafFile(first: Uint8Array, second: Uint8Array): Promise<Block[]> {
  const leaves = [await rawBlock(first), await rawBlock(second)];
  const unixfs = new UnixFS({ type: 'file', blockSizes: leaves.map((l) => BigInt(l.bytes.length)) });
  const bytes = dagPb.encode(
    dagPb.prepare({
      Data: unixfs.marshal(),
      Links: leaves.map((l) => ({ Hash: l.cid, Tsize: l.bytes.length })),
    }),
  );
  return [{ cid: CID.createV1(dagPb.code, await sha256.digest(bytes)), bytes }, ...leaves];
}

async function car(root: CID, blocks: readonly Block[]): Promise<Uint8Array> {
  const { writer, out } = CarWriter.create([root]);
  const chunks: Uint8Array[] = [];
  const collected = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  for (const block of blocks) await writer.put(block);
  await writer.close();
  await collected;
  return new Uint8Array(chunks.flatMap((c) => Array.from(c)));
}

async function hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Text as bytes of this realm's Uint8Array (jsdom's TextEncoder answers with another). */
const utf8 = (text: string) => Uint8Array.from(new TextEncoder().encode(text));
const first = utf8('first chunk of the audit report, ');
const second = utf8('and its second chunk.');
const whole = new Uint8Array([...first, ...second]);

async function fixture() {
  const blocks = await twoLeafFile(first, second);
  const [{ cid: root }] = blocks as [Block, ...Block[]];
  return { blocks, root, expected: { cid: root.toString(), sha256: await hex(whole), size: whole.length } };
}

describe('verifyDag', () => {
  it('returns the file reassembled in link order from verified blocks', async () => {
    const { blocks, root, expected } = await fixture();
    const progress: unknown[] = [];
    const bytes = await verifyDag(await car(root, blocks), expected, (p) => progress.push(p));
    expect(new TextDecoder().decode(bytes)).toBe('first chunk of the audit report, and its second chunk.');
    expect(progress).toContainEqual({ stage: 'blocks', verified: 3, total: 3 });
  });

  it('names the block whose bytes do not match its hash', async () => {
    const { blocks, root, expected } = await fixture();
    const [node, firstLeaf, leaf] = blocks as [Block, Block, Block];
    const altered = Uint8Array.from(leaf.bytes);
    altered.set([leaf.bytes[0] === 0 ? 1 : 0], 0);
    const tampered = [node, firstLeaf, { cid: leaf.cid, bytes: altered }];
    await expect(verifyDag(await car(root, tampered), expected)).rejects.toThrow(
      new VerificationError(`block ${leaf.cid.toString()} does not match its hash`),
    );
  });

  it('refuses a DAG with a block missing', async () => {
    const { blocks, root, expected } = await fixture();
    await expect(verifyDag(await car(root, blocks.slice(0, 2)), expected)).rejects.toThrow(
      `block ${(blocks as [Block, Block, Block])[2].cid.toString()} is missing from the archive`,
    );
  });

  it('refuses a consistent DAG whose file is not the one the record names', async () => {
    const { blocks, root, expected } = await fixture();
    const other = { ...expected, sha256: '0'.repeat(64) };
    await expect(verifyDag(await car(root, blocks), other)).rejects.toThrow(/the record says 0{64}/);
    await expect(verifyDag(await car(root, blocks), { ...expected, size: 1 })).rejects.toThrow(
      `the file has ${whole.length} bytes; the record says 1`,
    );
  });

  it('refuses bytes that are not a CAR', async () => {
    const { expected } = await fixture();
    await expect(verifyDag(new Uint8Array([1, 2, 3]), expected)).rejects.toThrow(/not a valid CAR/);
  });
});
