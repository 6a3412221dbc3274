/** What a Fabric enrollment certificate says, read in the browser. */
import { X509Certificate } from '../../crypto/x509';

/** Fabric CA puts the enrollment's attributes in this extension, as JSON `{"attrs": {…}}`. */
const FABRIC_ATTRIBUTES = '1.2.3.4.5.6.7.8.1';

export interface EnrollmentCertificate {
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly attributes: Readonly<Record<string, string>>;
}

function attributes(certificate: X509Certificate): Record<string, string> {
  const extension = certificate.getExtension(FABRIC_ATTRIBUTES);
  if (extension === null) return {};
  const parsed: unknown = JSON.parse(new TextDecoder().decode(extension.value));
  const attrs =
    typeof parsed === 'object' && parsed !== null ? (parsed as { attrs?: unknown }).attrs : undefined;
  if (typeof attrs !== 'object' || attrs === null) return {};
  return Object.fromEntries(Object.entries(attrs).map(([name, value]) => [name, String(value)]));
}

export function readCertificate(pem: string): EnrollmentCertificate {
  const certificate = new X509Certificate(pem);
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    attributes: attributes(certificate),
  };
}
