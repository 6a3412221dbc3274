/** The signed-in person as the API knows them: profile, organization and roles. */
import { send, type ApiClient } from './client';
import { ApiError } from './errors';
import { arrayOf, conform, nonEmptyString, nullable, object, string } from './shape';
import type { Me } from './types';

const PATH = '/api/v1/me';

const meShape = object({
  subject: nonEmptyString,
  email: nullable(string),
  display_name: nullable(string),
  roles: arrayOf(nonEmptyString),
  organization: nullable(object({ msp_id: nonEmptyString, name: string, kind: string })),
});

/** GET /api/v1/me with the caller's token. */
export async function fetchMe(client: ApiClient): Promise<Me> {
  const { data, error, response } = await send(PATH, () => client.GET(PATH));
  if (!response.ok) throw ApiError.fromResponse(PATH, response, error);
  const checked = conform<Me>(data, meShape);
  if (!checked.ok) throw ApiError.invalid(PATH, checked.problem, response.status);
  return checked.value;
}
