import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext';
import { retryTransient } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { AccreditationsPanel } from '../../components/Admin/AccreditationsPanel';
import type { AdminAccess } from '../../components/Admin/adminApi';
import { NotAllowed } from '../../components/Admin/NotAllowed';
import { PeoplePanel } from '../../components/Admin/PeoplePanel';
import { useAdminAccess } from '../../components/Admin/useAdminAccess';
import { ErrorState } from '../../components/ErrorState';
import { fetchNetwork } from '../../components/Network/networkApi';
import { OrganizationsTable } from '../../components/Network/OrganizationsTable';
import { PageLoader } from '../../components/PageLoader';
import { SignInPrompt } from '../../components/SignInPrompt';
import { usePageTitle } from '../../hooks/usePageTitle';

export function AdminPage() {
  usePageTitle('Admin');
  const { status } = useAuth();
  const access = useAdminAccess();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="administration" returnTo="/admin" />;
  if (access === 'checking') return <PageLoader label="Checking what you may do…" />;
  if (access instanceof Error)
    return <ErrorState error={access} heading="Your access could not be checked" />;
  if (!access.may_read) return <NotAllowed />;
  return <Admin access={access} />;
}

function Admin({ access }: { readonly access: AdminAccess }) {
  const api = useApi();
  const network = useQuery({
    queryKey: ['network', 1],
    queryFn: () => fetchNetwork(api, 1),
    retry: retryTransient,
  });
  const organizations = network.data?.organizations ?? [];
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Admin</Title>
        <Text c="dimmed">
          {access.governs
            ? 'You govern the registry: accredit certification bodies and withdraw accreditations.'
            : 'You may read the registry and the people; only its governors change it.'}
        </Text>
      </div>
      <Tabs defaultValue="accreditations" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="accreditations">Accreditations</Tabs.Tab>
          <Tabs.Tab value="organizations">Organizations</Tabs.Tab>
          <Tabs.Tab value="people">People</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="accreditations" pt="md">
          <AccreditationsPanel governs={access.governs} organizations={organizations} />
        </Tabs.Panel>
        <Tabs.Panel value="organizations" pt="md">
          {network.isError ? (
            <ErrorState error={network.error} heading="The organizations could not be read" />
          ) : network.isPending ? (
            <PageLoader label="Reading the organizations…" />
          ) : (
            <OrganizationsTable organizations={organizations} governing={access.governance_msps} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="people" pt="md">
          <PeoplePanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
