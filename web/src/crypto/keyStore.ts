/**
 * Signing keys held in this browser: non-extractable WebCrypto P-256 keys kept in
 * IndexedDB, one per signed-in person (by OIDC subject). IndexedDB stores a CryptoKey as
 * an opaque handle, so the private key's bytes never exist where a script could read them.
 */
const DATABASE = 'provena-keys';
const STORE = 'signing-keys';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE);
    };
    request.onsuccess = () => {
      resolve(request.result);
    };
    request.onerror = () => {
      reject(request.error ?? new Error('IndexedDB could not be opened'));
    };
  });
}

async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const database = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = act(database.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => {
        resolve(request.result as T);
      };
      request.onerror = () => {
        reject(request.error ?? new Error('IndexedDB refused the request'));
      };
    });
  } finally {
    database.close();
  }
}

/** A new P-256 key pair whose private half can sign but never be exported. */
export async function createKeyPair(subject: string): Promise<CryptoKeyPair> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  await run('readwrite', (store) => store.put(keys, subject));
  return keys;
}

/** The person's key pair in this browser, or null when there is none. */
export async function loadKeyPair(subject: string): Promise<CryptoKeyPair | null> {
  const keys = await run<CryptoKeyPair | undefined>('readonly', (store) => store.get(subject));
  return keys ?? null;
}
