import { Alert, Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconAlertOctagon, IconArrowLeft, IconRoute } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { retryTransient, useMe } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { ShipmentEvents } from '../../components/Epcis/ShipmentEvents';
import { ErrorState } from '../../components/ErrorState';
import { PageLoader } from '../../components/PageLoader';
import { recallPath } from '../../components/Recalls/api';
import { CheckpointList } from '../../components/Shipments/CheckpointList';
import { CustodyTimeline } from '../../components/Shipments/CustodyTimeline';
import { HistoryList } from '../../components/Shipments/HistoryList';
import { ItemsTable } from '../../components/Shipments/ItemsTable';
import { ShipmentActions } from '../../components/Shipments/ShipmentActions';
import { ShipmentStatusBadge } from '../../components/Shipments/ShipmentStatusBadge';
import { TemperatureSection } from '../../components/Shipments/TemperatureSection';
import { fetchShipment, shipmentKeys, type ShipmentDetail } from '../../components/Shipments/api';
import { SignInPrompt } from '../../components/SignInPrompt';
import { tracePath } from '../../components/Trace/api';
import { formatMoment } from '../../components/Certificates/format';
import { LINK, MUTED } from '../../components/Transaction/colors';
import { DocumentsTable } from '../../components/Verify/DocumentsTable';
import { Facts } from '../../components/Verify/Facts';
import { ProofView } from '../../components/Verify/ProofView';
import { Section } from '../../components/Verify/Section';
import { usePageTitle } from '../../hooks/usePageTitle';

function Summary({ shipment }: { readonly shipment: ShipmentDetail }) {
  const destination =
    shipment.destination_location === null
      ? shipment.destination_msp_id
      : `${shipment.destination_msp_id}, ${shipment.destination_location}`;
  return (
    <Facts
      facts={[
        { label: 'From', value: shipment.origin },
        { label: 'To', value: destination },
        { label: 'Owner', value: shipment.owner_msp_id },
        { label: 'Custodian now', value: shipment.custodian_msp_id },
        { label: 'Offered to', value: shipment.pending_transfer_to_msp_id ?? '—' },
        { label: 'Created', value: formatMoment(shipment.created_at) },
      ]}
    />
  );
}

function Transfers({ transfers }: { readonly transfers: ShipmentDetail['transfers'] }) {
  if (transfers.length === 0) return <Text c={MUTED}>No transfers yet.</Text>;
  return (
    <Stack gap={4} component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Transfers">
      {transfers.map((transfer) => (
        <Text component="li" key={transfer.seq} size="sm">
          {transfer.from_msp_id} → {transfer.to_msp_id}: <strong>{transfer.status.toLowerCase()}</strong> ·{' '}
          {formatMoment(transfer.proposed_at)}
          {transfer.reason !== null && ` · “${transfer.reason}”`}
        </Text>
      ))}
    </Stack>
  );
}

/** The recalls that reached the shipment, first on its page: its goods must not be sold. */
function Recalls({ recalls }: { readonly recalls: readonly string[] }) {
  if (recalls.length === 0) return null;
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      icon={<IconAlertOctagon aria-hidden />}
      title={recalls.length === 1 ? 'Recalled' : `Recalled ${String(recalls.length)} times`}
    >
      <Group gap="xs">
        <Text size="sm">Goods in this shipment are recalled:</Text>
        {recalls.map((recall) => (
          <Anchor key={recall} c={LINK} component={Link} to={recallPath(recall)} size="sm" fw={600}>
            {recall}
          </Anchor>
        ))}
      </Group>
    </Alert>
  );
}

function ShipmentView({ id }: { readonly id: string }) {
  const api = useApi();
  const me = useMe();
  const shipment = useQuery({
    queryKey: shipmentKeys.detail(id),
    queryFn: () => fetchShipment(api, id),
    retry: retryTransient,
  });
  if (shipment.isPending) return <PageLoader label="Loading the shipment…" />;
  if (shipment.isError) {
    return (
      <ErrorState error={shipment.error} heading={`Could not load shipment ${id}`}>
        <Button variant="default" size="xs" onClick={() => void shipment.refetch()}>
          Try again
        </Button>
      </ErrorState>
    );
  }
  const data = shipment.data;
  return (
    <Stack gap="md">
      <Anchor c={LINK} component={Link} to="/shipments" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={16} aria-hidden /> Shipments
        </Group>
      </Anchor>
      <Group justify="space-between" align="center" gap="xs">
        <Title order={1} style={{ overflowWrap: 'anywhere' }}>
          {data.id}
        </Title>
        <ShipmentStatusBadge status={data.status} />
      </Group>
      <Group gap="xs">
        <Button
          component={Link}
          to={tracePath(data.id)}
          variant="default"
          size="xs"
          leftSection={<IconRoute size={16} aria-hidden />}
        >
          Trace
        </Button>
        <ShipmentEvents id={data.id} />
      </Group>
      <Recalls recalls={data.recalls} />
      <Section title="Shipment">
        <Summary shipment={data} />
      </Section>
      {me.data !== undefined && (
        <Section title="Your actions">
          <ShipmentActions shipment={data} me={me.data} />
        </Section>
      )}
      <Section title="Items">
        <ItemsTable items={data.items} />
      </Section>
      <Section title="Custody">
        <CustodyTimeline custody={data.custody} />
        <Transfers transfers={data.transfers} />
      </Section>
      <TemperatureSection checkpoints={data.checkpoints} />
      <Section title="Checkpoints">
        <CheckpointList checkpoints={data.checkpoints} />
      </Section>
      <Section title="Documents">
        <DocumentsTable documents={data.documents} />
      </Section>
      <ProofView proof={data.proof} />
      <Section title="Ledger history">
        <HistoryList history={data.history} />
      </Section>
    </Stack>
  );
}

export function ShipmentPage() {
  const { id = '' } = useParams();
  usePageTitle(id === '' ? 'Shipment' : `Shipment ${id}`);
  const { status } = useAuth();
  const { pathname } = useLocation();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="this shipment" returnTo={pathname} />;
  return <ShipmentView id={id} />;
}
