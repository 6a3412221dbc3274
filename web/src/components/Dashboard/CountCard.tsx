import { Anchor, Loader, Paper, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/errors';
import { LINK, MUTED } from '../Transaction/colors';
import { COUNT_LIMIT } from './useDashboard';

export interface CountCardProps {
  readonly title: string;
  readonly query: UseQueryResult<readonly unknown[]>;
  readonly to: string;
  readonly linkLabel: string;
  /** The first few rows, listed under the count. */
  readonly children?: ReactNode;
}

/** One number the person may act on, with the way to the list behind it. */
export function CountCard({ title, query, to, linkLabel, children }: CountCardProps) {
  const count = query.data?.length;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {title}
        </Text>
        {query.isPending && <Loader size="sm" aria-label={`Counting ${title.toLowerCase()}`} />}
        {query.isError && (
          <Text size="sm" c="red.9">
            {describeError(query.error).message}
          </Text>
        )}
        {count !== undefined && (
          <Text fz={36} fw={700} lh={1.1} aria-label={`${title}: ${String(count)}`}>
            {count >= COUNT_LIMIT ? `${String(COUNT_LIMIT)}+` : count}
          </Text>
        )}
        {children}
        <Anchor c={LINK} component={Link} to={to} size="sm">
          {linkLabel}
        </Anchor>
        {count === 0 && (
          <Text size="xs" c={MUTED}>
            Nothing waiting.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
