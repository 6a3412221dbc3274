import { Group, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { IconLink } from '@tabler/icons-react';
import { Link } from 'react-router';

/** The product name, linking home. */
export function Brand() {
  return (
    <UnstyledButton component={Link} to="/" aria-label="Provena home">
      <Group gap={8} wrap="nowrap">
        <ThemeIcon
          size={30}
          radius="md"
          variant="gradient"
          gradient={{ from: 'teal.7', to: 'cyan.6', deg: 135 }}
        >
          <IconLink size={18} aria-hidden />
        </ThemeIcon>
        <Text component="span" fw={700} fz="lg" lh={1}>
          Provena
        </Text>
      </Group>
    </UnstyledButton>
  );
}
