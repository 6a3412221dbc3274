import { Button, Center, Container, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { createApiClient } from '../api/client';
import { loadConfig } from '../api/config';
import { queryKeys, retryTransient } from '../api/queries';
import { ErrorState } from '../components/ErrorState';
import { ConfigContext } from './ConfigContext';

/** Renders `children` once /api/v1/config has loaded; until then, progress or the error. */
export function ConfigGate({ children }: { readonly children: ReactNode }) {
  const client = useMemo(() => createApiClient(), []);
  const query = useQuery({
    queryKey: queryKeys.config,
    queryFn: () => loadConfig(client),
    staleTime: Infinity,
    retry: retryTransient,
  });

  if (query.isPending) {
    return (
      <Center mih="100dvh" role="status" aria-live="polite">
        <Stack align="center" gap="sm">
          <Loader aria-hidden />
          <Text c="dimmed">Starting Provena…</Text>
        </Stack>
      </Center>
    );
  }
  if (query.isError) {
    return (
      <Container size="sm" py="xl">
        <ErrorState error={query.error} heading="Provena could not start">
          <Button onClick={() => void query.refetch()} loading={query.isFetching} variant="light" color="red">
            Try again
          </Button>
        </ErrorState>
      </Container>
    );
  }
  return <ConfigContext.Provider value={query.data}>{children}</ConfigContext.Provider>;
}
