import { SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { retryTransient } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { ErrorState } from '../../components/ErrorState';
import { BackendsView } from '../../components/Network/BackendsView';
import { BlocksView } from '../../components/Network/BlocksView';
import { CloudView } from '../../components/Network/CloudView';
import { fetchNetwork, type NetworkView } from '../../components/Network/networkApi';
import { OrganizationsTable } from '../../components/Network/OrganizationsTable';
import { PageLoader } from '../../components/PageLoader';
import { SignInPrompt } from '../../components/SignInPrompt';
import { Facts } from '../../components/Verify/Facts';
import { Section } from '../../components/Verify/Section';
import { usePageTitle } from '../../hooks/usePageTitle';

const RECENT_BLOCKS = 20;
const REFRESH_MS = 10_000;

export function NetworkPage() {
  usePageTitle('Network');
  const { status } = useAuth();
  const [search] = useSearchParams();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') {
    return <SignInPrompt what="the network" returnTo={`/network?${search.toString()}`} />;
  }
  return <Network highlight={search.get('tx')} />;
}

function Network({ highlight }: { readonly highlight: string | null }) {
  const api = useApi();
  const network = useQuery({
    queryKey: ['network', RECENT_BLOCKS],
    queryFn: () => fetchNetwork(api, RECENT_BLOCKS),
    refetchInterval: REFRESH_MS,
    retry: retryTransient,
  });
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Network</Title>
        <Text c="dimmed">
          The ledger this deployment writes to, its latest blocks, and what runs behind it.
        </Text>
      </div>
      {network.isPending && <PageLoader label="Reading the ledger…" />}
      {network.isError && <ErrorState error={network.error} heading="The network could not be read" />}
      {network.data !== undefined && <NetworkDetails network={network.data} highlight={highlight} />}
    </Stack>
  );
}

function NetworkDetails({
  network,
  highlight,
}: {
  readonly network: NetworkView;
  readonly highlight: string | null;
}) {
  const { chaincode } = network;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title="Ledger">
          <Facts
            facts={[
              { label: 'Channel', value: network.channel, mono: true },
              { label: 'Height', value: `${String(network.height)} blocks` },
              {
                label: 'Chaincode',
                value: `${chaincode.name} ${chaincode.version ?? '(version unknown)'}`,
              },
              { label: 'Contracts', value: chaincode.contracts.join(', ') || '—' },
            ]}
          />
        </Section>
        <Section title="Backends">
          <BackendsView backends={network.backends} />
        </Section>
      </SimpleGrid>
      <Section title="Cloud side">
        <CloudView cloud={network.cloud} />
      </Section>
      <Section title="Organizations">
        <OrganizationsTable organizations={network.organizations} />
      </Section>
      <Section title="Recent blocks">
        <BlocksView blocks={network.blocks} highlight={highlight} />
      </Section>
    </Stack>
  );
}
