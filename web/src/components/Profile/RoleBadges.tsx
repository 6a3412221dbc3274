import { Badge, Group, Text, type MantineSize } from '@mantine/core';
import { roleColor } from './roles';

export interface RoleBadgesProps {
  readonly roles: readonly string[];
  readonly size?: MantineSize;
}

/** A person's roles as a labelled list of badges. */
export function RoleBadges({ roles, size = 'md' }: RoleBadgesProps) {
  if (roles.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No roles
      </Text>
    );
  }
  return (
    <Group gap={6} role="list" aria-label="Roles">
      {roles.map((role) => (
        <Badge key={role} role="listitem" color={roleColor(role)} variant="light" size={size} tt="none">
          {role}
        </Badge>
      ))}
    </Group>
  );
}
