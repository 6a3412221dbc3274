import { Alert, Stack, Text, Title } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { describeError } from '../api/errors';
import { READINESS_POLL_MS, useReadiness } from '../api/queries';
import { useAppConfig } from '../app/ConfigContext';
import { DeploymentCard } from '../components/DeploymentCard';
import { ErrorState } from '../components/ErrorState';
import { PageLoader } from '../components/PageLoader';
import { ReadinessView } from '../components/Readiness/ReadinessView';
import { usePageTitle } from '../hooks/usePageTitle';

export function SystemPage() {
  usePageTitle('System');
  const config = useAppConfig();
  const readiness = useReadiness();

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>System status</Title>
        <Text c="dimmed">
          Live readiness of the API and each service it depends on, checked every {READINESS_POLL_MS / 1000}{' '}
          seconds.
        </Text>
      </div>

      {readiness.isPending && <PageLoader label="Asking the API how it is…" />}
      {readiness.isError && readiness.data === undefined && (
        <ErrorState error={readiness.error} heading="Readiness is unknown">
          <Text size="xs" c="dimmed">
            Trying again every {READINESS_POLL_MS / 1000} seconds.
          </Text>
        </ErrorState>
      )}
      {readiness.isError && readiness.data !== undefined && (
        <Alert
          role="alert"
          color="yellow"
          variant="light"
          icon={<IconPlugConnectedX aria-hidden />}
          title="Could not refresh"
        >
          {describeError(readiness.error).message} The results below are from the last answer.
        </Alert>
      )}
      {readiness.data !== undefined && (
        <ReadinessView readiness={readiness.data} updatedAt={new Date(readiness.dataUpdatedAt)} />
      )}

      <DeploymentCard config={config} />
    </Stack>
  );
}
