/** TanStack Query hooks for the API, and the cache keys they use. */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useAuth } from '../auth/AuthContext';
import { useApi } from './ApiContext';
import { ApiError } from './errors';
import { fetchMe } from './me';
import { fetchReadiness } from './readiness';
import type { Me, Readiness } from './types';

export const queryKeys = {
  config: ['config'] as const,
  meAll: ['me'] as const,
  me: (subject: string | null) => ['me', subject] as const,
  readiness: ['readiness'] as const,
};

/** How often the system page asks /readyz again. */
export const READINESS_POLL_MS = 5_000;

/** Retry what may pass on a second try (no answer, 5xx), never what will not (4xx). */
export function retryTransient(failures: number, error: Error): boolean {
  if (failures >= 2) return false;
  if (error instanceof ApiError) {
    return error.kind === 'unreachable' || (error.status !== null && error.status >= 500);
  }
  return false;
}

export function useMe(): UseQueryResult<Me> {
  const api = useApi();
  const { status, user } = useAuth();
  return useQuery({
    queryKey: queryKeys.me(user?.profile.sub ?? null),
    queryFn: () => fetchMe(api),
    enabled: status === 'signed-in',
    staleTime: 60_000,
    retry: retryTransient,
  });
}

export function useReadiness(): UseQueryResult<Readiness> {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.readiness,
    queryFn: () => fetchReadiness(api),
    refetchInterval: READINESS_POLL_MS,
    retry: false,
  });
}
