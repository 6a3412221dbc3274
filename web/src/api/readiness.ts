/** Readiness of the API and each dependency it needs. */
import { send, type ApiClient } from './client';
import { ApiError } from './errors';
import { arrayOf, conform, nonEmptyString, nullable, number, object, string } from './shape';
import type { Readiness } from './types';

const PATH = '/readyz';

const readinessShape = object({
  status: nonEmptyString,
  checks: arrayOf(
    object({ name: nonEmptyString, status: nonEmptyString, detail: nullable(string), latency_ms: number }),
  ),
});

/**
 * GET /readyz. A 503 carrying a report is an answer, not an error: it says which
 * dependency is down, which is exactly what the system page shows.
 */
export async function fetchReadiness(client: ApiClient): Promise<Readiness> {
  const { data, error, response } = await send(PATH, () => client.GET(PATH));
  const body: unknown = response.ok ? data : error;
  if (response.ok || response.status === 503) {
    const checked = conform<Readiness>(body, readinessShape);
    if (checked.ok) return checked.value;
    if (response.ok) throw ApiError.invalid(PATH, checked.problem, response.status);
  }
  throw ApiError.fromResponse(PATH, response, body);
}
