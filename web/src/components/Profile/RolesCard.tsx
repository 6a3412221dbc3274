import { Card, Text, Title } from '@mantine/core';
import { RoleBadges } from './RoleBadges';

/** What a person may do in Provena. */
export function RolesCard({ roles }: { readonly roles: readonly string[] }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="roles-heading">
      <Title order={2} size="h4" id="roles-heading" mb="md">
        Roles
      </Title>
      <RoleBadges roles={roles} size="lg" />
      <Text size="xs" c="dimmed" mt="md">
        Roles come from your groups at the identity provider and travel in your ledger certificate.
      </Text>
    </Card>
  );
}
