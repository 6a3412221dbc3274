/** The DAG of a document as a CAR, from the app's own trustless IPFS gateway. */
import { VerificationError } from './verifyDag';

const CAR = 'application/vnd.ipld.car';

/**
 * `GET /ipfs/{cid}?format=car`. The gateway checks blocks too and may stop mid-answer on a
 * bad one; whatever goes wrong, the browser has nothing it could verify, so it is a
 * verification failure, never content.
 */
export async function fetchCar(
  cid: string,
  onBytes: (received: number) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const url = `/ipfs/${encodeURIComponent(cid)}?format=car`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: CAR }, signal });
  } catch (error) {
    throw new VerificationError(`the gateway could not be reached (${String(error)})`);
  }
  if (!response.ok || response.body === null) {
    throw new VerificationError(`the gateway answered HTTP ${response.status} for the DAG`);
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onBytes(received);
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new VerificationError(`the gateway stopped sending the DAG (${String(error)})`);
  }
  const car = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    car.set(chunk, offset);
    offset += chunk.length;
  }
  return car;
}
