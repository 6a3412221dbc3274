import { Anchor, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useMe } from '../../api/queries';
import type { Me } from '../../api/types';
import { Activity } from '../../components/Dashboard/Activity';
import { CountCard } from '../../components/Dashboard/CountCard';
import { useDashboard } from '../../components/Dashboard/useDashboard';
import { ErrorState } from '../../components/ErrorState';
import { PageLoader } from '../../components/PageLoader';
import { shipmentPath } from '../../components/Shipments/ShipmentList';
import { LINK, MUTED } from '../../components/Transaction/colors';
import { Section } from '../../components/Verify/Section';
import { usePageTitle } from '../../hooks/usePageTitle';

function Ids({ ids, path }: { readonly ids: readonly string[]; readonly path: (id: string) => string }) {
  if (ids.length === 0) return null;
  return (
    <Stack gap={0}>
      {ids.slice(0, 3).map((id) => (
        <Anchor key={id} c={LINK} component={Link} to={path(id)} size="sm">
          {id}
        </Anchor>
      ))}
    </Stack>
  );
}

function Board({ me, msp }: { readonly me: Me; readonly msp: string }) {
  const { offered, held, expiring, network } = useDashboard(msp);
  const name = me.display_name?.split(' ')[0] ?? me.subject;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Welcome back, {name}</Title>
        <Text c={MUTED}>
          What needs {me.organization?.name ?? msp}’s attention ({me.roles.join(', ')}).
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
        <CountCard
          title="Transfers offered to you"
          query={offered}
          to="/shipments?status=TRANSFER_PROPOSED"
          linkLabel="Offered shipments"
        >
          <Ids ids={(offered.data ?? []).map((s) => s.id)} path={shipmentPath} />
        </CountCard>
        <CountCard
          title="Shipments you hold"
          query={held}
          to={`/shipments?holder=${encodeURIComponent(msp)}`}
          linkLabel="Shipments held"
        >
          <Ids ids={(held.data ?? []).map((s) => s.id)} path={shipmentPath} />
        </CountCard>
        <CountCard
          title="Certificates expiring within 30 days"
          query={expiring}
          to="/certificates?status=ACTIVE"
          linkLabel="Active certificates"
        >
          <Ids
            ids={(expiring.data ?? []).map((c) => c.id)}
            path={(id) => `/certificates/${encodeURIComponent(id)}`}
          />
        </CountCard>
        <Paper withBorder p="md" radius="md" component="section" aria-label="Ledger height">
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              Ledger height
            </Text>
            {network.data === undefined ? (
              <Loader size="sm" aria-label="Reading the ledger height" />
            ) : (
              <Text fz={36} fw={700} lh={1.1}>
                {network.data.height}
              </Text>
            )}
            <Text size="xs" c={MUTED}>
              blocks on the channel
            </Text>
            <Anchor c={LINK} component={Link} to="/network" size="sm">
              The network
            </Anchor>
          </Stack>
        </Paper>
      </SimpleGrid>
      <Section title="Recent activity">
        <Activity />
      </Section>
    </Stack>
  );
}

/** The signed-in home page: what waits for the person's organization, and what just happened. */
export function DashboardPage() {
  usePageTitle('Dashboard');
  const me = useMe();
  if (me.isPending) return <PageLoader label="Loading your dashboard…" />;
  if (me.isError) return <ErrorState error={me.error} heading="Could not load your dashboard" />;
  const msp = me.data.organization?.msp_id;
  if (msp === undefined)
    return <Text>Your account belongs to no organization, so there is nothing to show.</Text>;
  return <Board me={me.data} msp={msp} />;
}
