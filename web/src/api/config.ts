/** The public configuration the app needs before anyone signs in. */
import { send, type ApiClient } from './client';
import { ApiError } from './errors';
import { absoluteUrl, conform, nonEmptyString, object } from './shape';
import type { AppConfig } from './types';

const PATH = '/api/v1/config';

const configShape = object({
  version: nonEmptyString,
  profile: nonEmptyString,
  oidc: object({ authority: absoluteUrl, client_id: nonEmptyString, scope: nonEmptyString }),
});

/** GET /api/v1/config, checked: it configures sign-in, so a bad answer must stop here. */
export async function loadConfig(client: ApiClient): Promise<AppConfig> {
  const { data, error, response } = await send(PATH, () => client.GET(PATH));
  if (!response.ok) throw ApiError.fromResponse(PATH, response, error);
  const checked = conform<AppConfig>(data, configShape);
  if (!checked.ok) throw ApiError.invalid(PATH, checked.problem, response.status);
  return checked.value;
}
