import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiContext';
import type { ApiClient } from '../../api/client';
import type { Role } from '../../api/types';
import { retryTransient, useMe } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { usePageTitle } from '../../hooks/usePageTitle';
import { ErrorState } from '../ErrorState';
import { PageLoader } from '../PageLoader';
import { SignInPrompt } from '../SignInPrompt';
import { MUTED } from '../Transaction/colors';
import { RecordFilters, type FilterField, type Filters } from './RecordFilters';

/** What makes one list page: its words, filters, query and rows. */
export interface RecordList<Row, F> {
  readonly title: string;
  /** Plural and lower case: "certificates". */
  readonly what: string;
  /** Singular: "certificate". */
  readonly one: string;
  readonly describe: (organization: string | null) => string;
  readonly searchPlaceholder: string;
  readonly statuses: readonly string[];
  readonly statusLabel: (status: string) => string;
  readonly fields: readonly FilterField[];
  readonly queryKey: (filters: F) => QueryKey;
  readonly fetch: (
    api: ApiClient,
    filters: F,
    cursor: string | null,
  ) => Promise<{ readonly data: readonly Row[]; readonly next_cursor: string | null }>;
  readonly rows: (rows: readonly Row[]) => ReactNode;
  readonly icon: ReactNode;
  readonly hint: { readonly filtered: string; readonly none: string };
  /** A button for the people whose role may create one. */
  readonly create?: { readonly role: Role; readonly to: string; readonly label: string };
}

/** The filters are the URL's query, so a filtered list can be shared and survives a reload. */
function filtersOf(params: URLSearchParams, names: readonly string[], statuses: readonly string[]): Filters {
  const filters: Record<string, string> = {};
  for (const name of names) {
    const value = params.get(name);
    if (value !== null && value !== '') filters[name] = value;
  }
  const status = params.get('status');
  if (status !== null && statuses.includes(status)) filters['status'] = status;
  return filters;
}

function paramsOf(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '') params.set(name, value);
  }
  return params;
}

function RecordListView<Row, F>({ list }: { readonly list: RecordList<Row, F> }) {
  const api = useApi();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const names = ['q', ...list.fields.map((field) => field.name)];
  const shown = filtersOf(params, names, list.statuses);
  const filters = shown as F; // only the names and statuses the list declares
  const records = useInfiniteQuery({
    queryKey: list.queryKey(filters),
    queryFn: ({ pageParam }) => list.fetch(api, filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    retry: retryTransient,
  });
  const rows = records.data?.pages.flatMap((page) => page.data) ?? [];
  const filtered = Object.keys(shown).length > 0;
  const organization = me.data?.organization?.name ?? null;
  const create = list.create;
  const mayCreate = create !== undefined && (me.data?.roles.includes(create.role) ?? false);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{list.title}</Title>
          <Text c={MUTED}>{list.describe(organization)}</Text>
        </div>
        {mayCreate && (
          <Button component={Link} to={create.to} leftSection={<IconPlus size={18} aria-hidden />}>
            {create.label}
          </Button>
        )}
      </Group>

      <RecordFilters
        key={params.toString()}
        what={list.what}
        searchPlaceholder={list.searchPlaceholder}
        statuses={list.statuses.map((status) => ({ value: status, label: list.statusLabel(status) }))}
        fields={list.fields}
        value={shown}
        onChange={(next) => {
          setParams(paramsOf(next));
        }}
      />

      {records.isPending && <PageLoader label={`Loading ${list.what}…`} />}
      {records.isError && (
        <ErrorState error={records.error} heading={`Could not load the ${list.what}`}>
          <Button variant="default" size="xs" onClick={() => void records.refetch()}>
            Try again
          </Button>
        </ErrorState>
      )}
      {records.isSuccess && rows.length === 0 && (
        <Paper withBorder p="xl" ta="center">
          {list.icon}
          <Text fw={600}>{filtered ? `No ${list.one} matches these filters` : `No ${list.what} yet`}</Text>
          <Text c={MUTED} size="sm">
            {filtered ? list.hint.filtered : list.hint.none}
          </Text>
        </Paper>
      )}
      {rows.length > 0 && list.rows(rows)}
      {records.hasNextPage && (
        <Group justify="center">
          <Button
            variant="default"
            loading={records.isFetchingNextPage}
            onClick={() => void records.fetchNextPage()}
          >
            Load more
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** A signed-in list of records with filters in the URL, paging and an empty state. */
export function RecordListPage<Row, F>({ list }: { readonly list: RecordList<Row, F> }) {
  usePageTitle(list.title);
  const { status } = useAuth();
  const { pathname, search } = useLocation();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what={list.what} returnTo={`${pathname}${search}`} />;
  return <RecordListView list={list} />;
}
