import { QueryClient } from '@tanstack/react-query';
import { retryTransient } from '../api/queries';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: retryTransient, refetchOnWindowFocus: true },
    },
  });
}
