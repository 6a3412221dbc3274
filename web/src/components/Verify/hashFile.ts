/**
 * SHA-256 of a file, computed in the browser: the file itself never leaves the device,
 * only its hash is sent to be looked up.
 */

/** WebCrypto digests one buffer at once, so the whole file is read into memory first. */
export const MAX_HASH_BYTES = 512 * 1024 * 1024;

export class FileTooLargeError extends Error {
  constructor(size: number) {
    super(
      `This file is ${String(Math.ceil(size / 1024 / 1024))} MiB; files up to ${String(MAX_HASH_BYTES / 1024 / 1024)} MiB can be checked in the browser.`,
    );
    this.name = 'FileTooLargeError';
  }
}

export function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(file: Blob): Promise<string> {
  if (file.size > MAX_HASH_BYTES) throw new FileTooLargeError(file.size);
  return toHex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
}
