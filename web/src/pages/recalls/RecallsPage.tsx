import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertOctagon, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { retryTransient, useMe } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { ErrorState } from '../../components/ErrorState';
import { PageLoader } from '../../components/PageLoader';
import { fetchRecalls, recallKeys } from '../../components/Recalls/api';
import { mayRecall } from '../../components/Recalls/permissions';
import { RecallList } from '../../components/Recalls/RecallList';
import { SignInPrompt } from '../../components/SignInPrompt';
import { MUTED } from '../../components/Transaction/colors';
import { usePageTitle } from '../../hooks/usePageTitle';

function RecallsView() {
  const api = useApi();
  const me = useMe();
  // The feed refreshes it when a recall that concerns the organization is recorded.
  const recalls = useQuery({
    queryKey: recallKeys.list(),
    queryFn: () => fetchRecalls(api),
    retry: retryTransient,
  });
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Recalls</Title>
          <Text c={MUTED}>
            Recalls of lots that concern your organization: what they reached, who holds it, who was told.
          </Text>
        </div>
        {me.data !== undefined && mayRecall(me.data) && (
          <Button component={Link} to="/recalls/new" leftSection={<IconPlus size={18} aria-hidden />}>
            New recall
          </Button>
        )}
      </Group>
      {recalls.isPending && <PageLoader label="Loading recalls…" />}
      {recalls.isError && (
        <ErrorState error={recalls.error} heading="Could not load the recalls">
          <Button variant="default" size="xs" onClick={() => void recalls.refetch()}>
            Try again
          </Button>
        </ErrorState>
      )}
      {recalls.isSuccess && recalls.data.length === 0 && (
        <Paper withBorder p="xl" ta="center">
          <IconAlertOctagon size={36} stroke={1.4} aria-hidden />
          <Text fw={600}>No recalls</Text>
          <Text c={MUTED} size="sm">
            Recalls of lots your organization made, carried or received will appear here.
          </Text>
        </Paper>
      )}
      {recalls.isSuccess && recalls.data.length > 0 && <RecallList recalls={recalls.data} />}
    </Stack>
  );
}

export function RecallsPage() {
  usePageTitle('Recalls');
  const { status } = useAuth();
  const { pathname } = useLocation();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="recalls" returnTo={pathname} />;
  return <RecallsView />;
}
