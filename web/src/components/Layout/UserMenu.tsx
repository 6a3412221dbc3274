import { Avatar, Box, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { describeError } from '../../api/errors';
import { queryKeys, useMe } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { RoleBadges } from '../Profile/RoleBadges';

/** The signed-in person: name, organization and roles, with "Profile" and "Sign out". */
export function UserMenu() {
  const { user, signOut } = useAuth();
  const me = useMe();
  const queryClient = useQueryClient();
  const profile = user?.profile;
  const name =
    me.data?.display_name ?? profile?.name ?? me.data?.email ?? profile?.email ?? profile?.sub ?? 'Account';
  const organization = me.data?.organization ?? null;

  async function leave(): Promise<void> {
    queryClient.removeQueries({ queryKey: queryKeys.meAll });
    try {
      await signOut();
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Signed out here only',
        message: `Provena forgot your session in this tab, but the identity provider could not end it: ${describeError(error).message}`,
      });
    }
  }

  return (
    <Menu position="bottom-end" width={280} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={name} px={6} py={4} style={{ borderRadius: 'var(--mantine-radius-md)' }}>
          <Group gap={8} wrap="nowrap">
            <Avatar name={name} color="initials" size={32} aria-hidden />
            <Text component="span" size="sm" fw={500} truncate maw={180} visibleFrom="xs">
              {name}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Box px="sm" py="xs">
          <Text fw={600} size="sm">
            {name}
          </Text>
          {organization !== null ? (
            <Text size="xs" c="dimmed">
              {organization.name} · {organization.msp_id}
            </Text>
          ) : (
            me.isSuccess && (
              <Text size="xs" c="dimmed">
                No organization
              </Text>
            )
          )}
          {me.data !== undefined && (
            <Box mt={8}>
              <RoleBadges roles={me.data.roles} size="sm" />
            </Box>
          )}
        </Box>
        <Menu.Divider />
        <Menu.Item component={Link} to="/profile" leftSection={<IconUserCircle size={16} aria-hidden />}>
          Profile
        </Menu.Item>
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => void leave()}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
