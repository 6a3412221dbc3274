import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCertificate, IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { retryTransient, useMe } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import {
  certificateKeys,
  fetchCertificates,
  STATUSES,
  type CertificateFilters as Filters,
  type CertificateStatus,
} from '../../components/Certificates/api';
import { CertificateFilters } from '../../components/Certificates/CertificateFilters';
import { CertificateList } from '../../components/Certificates/CertificateList';
import { ErrorState } from '../../components/ErrorState';
import { PageLoader } from '../../components/PageLoader';
import { SignInPrompt } from '../../components/SignInPrompt';
import { usePageTitle } from '../../hooks/usePageTitle';
import { MUTED } from '../../components/Transaction/colors';

const TEXT_FILTERS = ['q', 'scheme', 'issuer'] as const;

/** The filters are the URL's query, so a filtered list can be shared and survives a reload. */
function filtersOf(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of TEXT_FILTERS) {
    const value = params.get(name);
    if (value !== null && value !== '') filters[name] = value;
  }
  const status = params.get('status');
  if (status !== null && (STATUSES as readonly string[]).includes(status)) {
    filters.status = status as CertificateStatus;
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

function CertificatesView() {
  const api = useApi();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const certificates = useInfiniteQuery({
    queryKey: certificateKeys.list(filters),
    queryFn: ({ pageParam }) => fetchCertificates(api, filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    retry: retryTransient,
  });
  const rows = certificates.data?.pages.flatMap((page) => page.data) ?? [];
  const filtered = Object.keys(filters).length > 0;
  const organization = me.data?.organization;
  const certifier = me.data?.roles.includes('certifier') ?? false;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Certificates</Title>
          <Text c={MUTED}>
            {organization
              ? `Certificates ${organization.name} issued or holds, newest first.`
              : 'Certificates you may see, newest first.'}
          </Text>
        </div>
        {certifier && (
          <Button component={Link} to="/certificates/new" leftSection={<IconPlus size={18} aria-hidden />}>
            Issue a certificate
          </Button>
        )}
      </Group>

      <CertificateFilters
        key={params.toString()}
        value={filters}
        onChange={(next) => {
          setParams(paramsOf(next));
        }}
      />

      {certificates.isPending && <PageLoader label="Loading certificates…" />}
      {certificates.isError && (
        <ErrorState error={certificates.error} heading="Could not load the certificates">
          <Button variant="default" size="xs" onClick={() => void certificates.refetch()}>
            Try again
          </Button>
        </ErrorState>
      )}
      {certificates.isSuccess && rows.length === 0 && (
        <Paper withBorder p="xl" ta="center">
          <IconCertificate size={36} stroke={1.4} aria-hidden />
          <Text fw={600}>{filtered ? 'No certificate matches these filters' : 'No certificates yet'}</Text>
          <Text c={MUTED} size="sm">
            {filtered
              ? 'Try another status, scheme or search.'
              : 'Certificates your organization issues or holds will appear here.'}
          </Text>
        </Paper>
      )}
      {rows.length > 0 && <CertificateList certificates={rows} />}
      {certificates.hasNextPage && (
        <Group justify="center">
          <Button
            variant="default"
            loading={certificates.isFetchingNextPage}
            onClick={() => void certificates.fetchNextPage()}
          >
            Load more
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function CertificatesPage() {
  usePageTitle('Certificates');
  const { status } = useAuth();
  const { pathname, search } = useLocation();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="certificates" returnTo={`${pathname}${search}`} />;
  return <CertificatesView />;
}
