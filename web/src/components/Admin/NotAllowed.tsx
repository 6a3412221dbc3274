import { Button, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { Link } from 'react-router';

/** Said to someone who may not see administration, with who may. */
export function NotAllowed() {
  return (
    <Paper withBorder p="xl" maw={560} mx="auto" mt="xl">
      <Stack align="center" gap="sm" ta="center">
        <ThemeIcon size={48} radius="xl" variant="light" color="red">
          <IconShieldLock size={26} aria-hidden />
        </ThemeIcon>
        <Title order={1} size="h2">
          Not allowed
        </Title>
        <Text>
          Administration is for the admins of the organizations that govern the registry, and for auditors.
          Your roles do not include either.
        </Text>
        <Button component={Link} to="/">
          Go home
        </Button>
      </Stack>
    </Paper>
  );
}
