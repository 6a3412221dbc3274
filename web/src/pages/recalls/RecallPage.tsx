import { Anchor, Badge, Button, Group, Stack, Title } from '@mantine/core';
import { IconArrowLeft, IconFileCode } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { retryTransient } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { formatMoment } from '../../components/Certificates/format';
import { DownloadButton } from '../../components/Download/DownloadButton';
import { epcisKeys, fetchEpcisEvent } from '../../components/Epcis/api';
import { EpcisDocumentModal } from '../../components/Epcis/EpcisDocumentModal';
import { ErrorState } from '../../components/ErrorState';
import { PageLoader } from '../../components/PageLoader';
import { fetchRecall, fetchRecallExport, recallKeys, type RecallView } from '../../components/Recalls/api';
import { RecallReachView, RecalledShipments } from '../../components/Recalls/RecallReachView';
import { SignInPrompt } from '../../components/SignInPrompt';
import { LINK } from '../../components/Transaction/colors';
import { Facts } from '../../components/Verify/Facts';
import { Section } from '../../components/Verify/Section';
import { usePageTitle } from '../../hooks/usePageTitle';

function Record({ recall }: { readonly recall: RecallView }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  return (
    <Section title="Recall">
      <Facts
        facts={[
          { label: 'Reason', value: recall.reason },
          { label: 'Recorded by', value: recall.recorded_by_msp_id },
          { label: 'Recorded', value: formatMoment(recall.recorded_at) },
          { label: 'Block', value: String(recall.block_number) },
          {
            label: 'Transaction',
            value: (
              <Anchor
                c={LINK}
                component={Link}
                to={`/network?tx=${encodeURIComponent(recall.tx_id)}`}
                ff="monospace"
                size="sm"
              >
                {recall.tx_id}
              </Anchor>
            ),
          },
        ]}
      />
      <Group gap="xs" align="flex-start">
        <Button
          variant="default"
          size="xs"
          leftSection={<IconFileCode size={16} aria-hidden />}
          onClick={() => {
            setOpen(true);
          }}
        >
          EPCIS event
        </Button>
        <DownloadButton
          label="Download CSV"
          fileName={`${recall.id}.csv`}
          load={() => fetchRecallExport(api, recall.id, 'csv')}
        />
        <DownloadButton
          label="Download EPCIS document"
          fileName={`${recall.id}.jsonld`}
          load={() => fetchRecallExport(api, recall.id, 'jsonld')}
        />
      </Group>
      <EpcisDocumentModal
        opened={open}
        onClose={() => {
          setOpen(false);
        }}
        title={`EPCIS event of recall ${recall.id}`}
        queryKey={epcisKeys.event(recall.event_id)}
        load={() => fetchEpcisEvent(api, recall.event_id)}
        fileName={`${recall.id}.event.jsonld`}
      />
    </Section>
  );
}

function RecallDetail({ id }: { readonly id: string }) {
  const api = useApi();
  const recall = useQuery({
    queryKey: recallKeys.detail(id),
    queryFn: () => fetchRecall(api, id),
    retry: retryTransient,
  });
  if (recall.isPending) return <PageLoader label="Loading the recall…" />;
  if (recall.isError) {
    return (
      <ErrorState error={recall.error} heading={`Could not load recall ${id}`}>
        <Button variant="default" size="xs" onClick={() => void recall.refetch()}>
          Try again
        </Button>
      </ErrorState>
    );
  }
  return (
    <Stack gap="md">
      <Anchor c={LINK} component={Link} to="/recalls" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={16} aria-hidden /> Recalls
        </Group>
      </Anchor>
      <Group gap="sm" align="center">
        <Title order={1} style={{ overflowWrap: 'anywhere' }}>
          {recall.data.id}
        </Title>
        <Badge color="red.9" variant="filled">
          Recalled
        </Badge>
      </Group>
      <Record recall={recall.data} />
      <RecallReachView
        reach={recall.data}
        shipments={<RecalledShipments shipments={recall.data.shipments} />}
      />
    </Stack>
  );
}

export function RecallPage() {
  const { id = '' } = useParams();
  usePageTitle(id === '' ? 'Recall' : `Recall ${id}`);
  const { status } = useAuth();
  const { pathname } = useLocation();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="this recall" returnTo={pathname} />;
  return <RecallDetail id={id} />;
}
