/** Fetch a document's DAG and verify it here; the bytes exist only once verified. */
import { useEffect, useState } from 'react';
import { fetchCar } from './gateway';
import { VerificationError, verifyDag, type Expected } from './verifyDag';

export type Verification =
  | { readonly phase: 'downloading'; readonly received: number }
  | { readonly phase: 'checking'; readonly verified: number; readonly total: number }
  | { readonly phase: 'failed'; readonly reason: string }
  | {
      readonly phase: 'verified';
      readonly bytes: Uint8Array<ArrayBuffer>;
      /** An object URL of the verified bytes, revoked when the document is left. */
      readonly url: string;
    };

export function useVerifiedBytes(expected: Expected & { readonly media_type: string }): Verification {
  const [state, setState] = useState<Verification>({ phase: 'downloading', received: 0 });
  const { cid, sha256, size, media_type: mediaType } = expected;

  useEffect(() => {
    const abort = new AbortController();
    let url: string | null = null;
    const update = (next: Verification) => {
      if (!abort.signal.aborted) setState(next);
    };
    update({ phase: 'downloading', received: 0 });
    void (async () => {
      try {
        const car = await fetchCar(
          cid,
          (received) => {
            update({ phase: 'downloading', received });
          },
          abort.signal,
        );
        const bytes = await verifyDag(car, { cid, sha256, size }, (progress) => {
          if (progress.stage === 'blocks') update({ phase: 'checking', ...progress });
        });
        if (abort.signal.aborted) return;
        url = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
        update({ phase: 'verified', bytes, url });
      } catch (error) {
        if (abort.signal.aborted) return;
        const reason =
          error instanceof VerificationError ? error.message : `unexpected error: ${String(error)}`;
        update({ phase: 'failed', reason });
      }
    })();
    return () => {
      abort.abort();
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [cid, sha256, size, mediaType]);

  return state;
}
