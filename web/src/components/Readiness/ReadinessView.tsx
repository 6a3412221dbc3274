import { SimpleGrid, Stack, Text } from '@mantine/core';
import type { Readiness } from '../../api/types';
import { CheckCard } from './CheckCard';
import { OverallStatus } from './OverallStatus';

export interface ReadinessViewProps {
  readonly readiness: Readiness;
  readonly updatedAt: Date;
}

/** A readiness report: the overall status, then one card per check, whatever checks come. */
export function ReadinessView({ readiness, updatedAt }: ReadinessViewProps) {
  return (
    <Stack gap="md">
      <OverallStatus readiness={readiness} updatedAt={updatedAt} />
      {readiness.checks.length === 0 ? (
        <Text c="dimmed">The API reported no checks.</Text>
      ) : (
        <SimpleGrid
          component="ul"
          aria-label="Readiness checks"
          cols={{ base: 1, sm: 2, lg: 3 }}
          spacing="md"
          style={{ listStyle: 'none', padding: 0, margin: 0 }}
        >
          {readiness.checks.map((check) => (
            <CheckCard key={check.name} check={check} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
