import { useQueryClient } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { useAuth } from '../auth/AuthContext';
import { sessionEnded } from '../auth/explain';
import { ApiContext } from './ApiContext';
import { createApiClient } from './client';
import { queryKeys } from './queries';

export interface ApiProviderProps {
  readonly children: ReactNode;
}

/** An API client that sends the session's access token and ends the session on a 401. */
export function ApiProvider({ children }: ApiProviderProps) {
  const { getAccessToken, endSession } = useAuth();
  const queryClient = useQueryClient();
  const client = useMemo(
    () =>
      createApiClient({
        getAccessToken,
        onUnauthorized(problem) {
          const why = problem?.detail ?? problem?.title ?? null;
          endSession(sessionEnded('refused', why));
          queryClient.removeQueries({ queryKey: queryKeys.meAll });
        },
      }),
    [getAccessToken, endSession, queryClient],
  );
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}
