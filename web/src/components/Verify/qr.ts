/**
 * Reading QR codes: the browser's own BarcodeDetector where it has one, else jsQR, which
 * is loaded only when first needed. A camera frame and an uploaded picture go the same way.
 */

interface DetectedBarcode {
  readonly rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: ImageBitmapSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

function nativeDetector(): BarcodeDetectorLike | null {
  const ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  return ctor === undefined ? null : new ctor({ formats: ['qr_code'] });
}

/** The text of the QR code in `source` (a video frame, a canvas or a picture), or null. */
export async function decodeQr(source: HTMLVideoElement | ImageBitmap): Promise<string | null> {
  const detector = nativeDetector();
  if (detector !== null) {
    try {
      const [first] = await detector.detect(source);
      if (first !== undefined) return first.rawValue;
    } catch {
      // Some platforms declare BarcodeDetector without a QR engine: fall back to jsQR.
    }
  }
  const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
  const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
  if (width === 0 || height === 0) return null;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) return null;
  context.drawImage(source, 0, 0);
  const { data } = context.getImageData(0, 0, width, height);
  const { default: jsQR } = await import('jsqr');
  return jsQR(data, width, height)?.data ?? null;
}

export async function decodeQrImage(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    return await decodeQr(bitmap);
  } finally {
    bitmap.close();
  }
}

/**
 * Where a scanned code (or an API verify URL) leads in this app: a certificate's or
 * shipment's verify page; null for anything else.
 */
export function verifyPathOf(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text, window.location.origin);
  } catch {
    return null;
  }
  const match = /^\/(?:v\/(c|s)|(?:api\/v1\/)?verify\/(certificates|shipments))\/([^/]+)\/?$/.exec(
    url.pathname,
  );
  if (match === null) return null;
  const kind = match[1] === 'c' || match[2] === 'certificates' ? 'certificates' : 'shipments';
  return `/verify/${kind}/${match[3] ?? ''}${url.search}`;
}
