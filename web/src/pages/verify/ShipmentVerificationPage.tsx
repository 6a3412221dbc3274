import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { PageLoader } from '../../components/PageLoader';
import { ShipmentResult } from '../../components/Verify/ShipmentResult';
import { VerifyError } from '../../components/Verify/VerifyError';
import { verifyShipment } from '../../components/Verify/verifyApi';
import { usePageTitle } from '../../hooks/usePageTitle';

export function ShipmentVerificationPage() {
  const { id = '' } = useParams();
  usePageTitle(`Verify shipment ${id}`);
  const api = useApi();
  const result = useQuery({
    queryKey: ['verify', 'shipment', id],
    queryFn: () => verifyShipment(api, id),
    retry: false,
  });
  return (
    <Stack gap="lg">
      <div>
        <Anchor component={Link} to="/verify" size="sm">
          ← Verify another record
        </Anchor>
        <Title order={1} style={{ overflowWrap: 'anywhere' }}>
          Shipment {id}
        </Title>
        <Text c="dimmed">Its custody chain and checkpoints, as the ledger recorded them.</Text>
      </div>
      {result.isPending && <PageLoader label="Checking the ledger…" />}
      {result.isError && <VerifyError error={result.error} kind="shipment" id={id} />}
      {result.data !== undefined && <ShipmentResult result={result.data} />}
    </Stack>
  );
}
