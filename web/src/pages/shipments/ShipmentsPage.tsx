import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPlus, IconTruckDelivery } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { retryTransient, useMe } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { ErrorState } from '../../components/ErrorState';
import { PageLoader } from '../../components/PageLoader';
import { SignInPrompt } from '../../components/SignInPrompt';
import {
  fetchShipments,
  shipmentKeys,
  STATUSES,
  type ShipmentFilters as Filters,
  type ShipmentStatus,
} from '../../components/Shipments/api';
import { ShipmentFilters } from '../../components/Shipments/ShipmentFilters';
import { ShipmentList } from '../../components/Shipments/ShipmentList';
import { MUTED } from '../../components/Transaction/colors';
import { usePageTitle } from '../../hooks/usePageTitle';

const TEXT_FILTERS = ['q', 'holder', 'destination'] as const;

/** The filters are the URL's query, so a filtered list can be shared and survives a reload. */
function filtersOf(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of TEXT_FILTERS) {
    const value = params.get(name);
    if (value !== null && value !== '') filters[name] = value;
  }
  const status = params.get('status');
  if (status !== null && (STATUSES as readonly string[]).includes(status)) {
    filters.status = status as ShipmentStatus;
  }
  return filters;
}

function paramsOf(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of [...TEXT_FILTERS, 'status'] as const) {
    const value = filters[name];
    if (typeof value === 'string' && value !== '') params.set(name, value);
  }
  return params;
}

function ShipmentsView() {
  const api = useApi();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const shipments = useInfiniteQuery({
    queryKey: shipmentKeys.list(filters),
    queryFn: ({ pageParam }) => fetchShipments(api, filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    retry: retryTransient,
  });
  const rows = shipments.data?.pages.flatMap((page) => page.data) ?? [];
  const filtered = Object.keys(filters).length > 0;
  const organization = me.data?.organization;
  const producer = me.data?.roles.includes('producer') ?? false;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Shipments</Title>
          <Text c={MUTED}>
            {organization
              ? `Shipments ${organization.name} owns, holds, held, receives or is offered, newest first.`
              : 'Shipments you may see, newest first.'}
          </Text>
        </div>
        {producer && (
          <Button component={Link} to="/shipments/new" leftSection={<IconPlus size={18} aria-hidden />}>
            New shipment
          </Button>
        )}
      </Group>

      <ShipmentFilters
        key={params.toString()}
        value={filters}
        onChange={(next) => {
          setParams(paramsOf(next));
        }}
      />

      {shipments.isPending && <PageLoader label="Loading shipments…" />}
      {shipments.isError && (
        <ErrorState error={shipments.error} heading="Could not load the shipments">
          <Button variant="default" size="xs" onClick={() => void shipments.refetch()}>
            Try again
          </Button>
        </ErrorState>
      )}
      {shipments.isSuccess && rows.length === 0 && (
        <Paper withBorder p="xl" ta="center">
          <IconTruckDelivery size={36} stroke={1.4} aria-hidden />
          <Text fw={600}>{filtered ? 'No shipment matches these filters' : 'No shipments yet'}</Text>
          <Text c={MUTED} size="sm">
            {filtered
              ? 'Try another status, holder or search.'
              : 'Shipments your organization sends, carries or receives will appear here.'}
          </Text>
        </Paper>
      )}
      {rows.length > 0 && <ShipmentList shipments={rows} />}
      {shipments.hasNextPage && (
        <Group justify="center">
          <Button
            variant="default"
            loading={shipments.isFetchingNextPage}
            onClick={() => void shipments.fetchNextPage()}
          >
            Load more
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function ShipmentsPage() {
  usePageTitle('Shipments');
  const { status } = useAuth();
  const { pathname, search } = useLocation();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="shipments" returnTo={`${pathname}${search}`} />;
  return <ShipmentsView />;
}
