/** A PKCS#10 certificate request for a browser-held key, signed by that key. */
import { Pkcs10CertificateRequestGenerator } from './x509';

const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** PEM CSR with CN = `enrollmentId` (the id the API says the next identity gets). */
export async function certificateRequest(keys: CryptoKeyPair, enrollmentId: string): Promise<string> {
  const request = await Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [enrollmentId] }],
    keys,
    signingAlgorithm: ECDSA_SHA256,
  });
  return request.toString('pem');
}
