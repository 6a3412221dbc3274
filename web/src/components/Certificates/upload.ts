/**
 * Uploads one file as the raw body of `POST /api/v1/documents?name=…`, with its content
 * type. XMLHttpRequest rather than fetch, because only it reports upload progress.
 */
import { ApiError } from '../../api/errors';
import type { components } from '../../api/schema';

export type UploadedDocument = components['schemas']['DocumentPublic'];

const PATH = '/api/v1/documents';

export function uploadDocument(
  file: File,
  token: string | null,
  onProgress: (fraction: number) => void,
): Promise<UploadedDocument> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${PATH}?name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader('Content-Type', file.type === '' ? 'application/octet-stream' : file.type);
    request.setRequestHeader('Accept', 'application/json');
    if (token !== null) request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => {
      reject(ApiError.unreachable(PATH, new TypeError('the upload did not reach the API')));
    };
    request.onload = () => {
      const response = new Response(null, { status: request.status, statusText: request.statusText });
      if (request.status !== 200 && request.status !== 201) {
        reject(ApiError.fromResponse(PATH, response, request.responseText));
        return;
      }
      try {
        onProgress(1);
        resolve(JSON.parse(request.responseText) as UploadedDocument);
      } catch {
        reject(ApiError.invalid(PATH, 'the body is not JSON', request.status));
      }
    };
    request.send(file);
  });
}
