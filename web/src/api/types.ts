/**
 * The API's payloads, named once. Each is taken from the generated `paths` by route,
 * not by schema name, so the backend may rename its models without breaking the app.
 */
import type { paths } from './schema';

type JsonBody<R> = R extends { content: { 'application/json': infer T } } ? T : never;

export type AppConfig = JsonBody<paths['/api/v1/config']['get']['responses'][200]>;
export type OidcClientConfig = AppConfig['oidc'];
export type Profile = AppConfig['profile'];

export type Me = JsonBody<paths['/api/v1/me']['get']['responses'][200]>;
export type Role = Me['roles'][number];
export type Organization = NonNullable<Me['organization']>;
export type OrganizationKind = Organization['kind'];

export type Readiness = JsonBody<paths['/readyz']['get']['responses'][200]>;
export type ReadinessCheck = Readiness['checks'][number];
