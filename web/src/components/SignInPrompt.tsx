import { Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { SignInButton } from './SignInButton';

export interface SignInPromptProps {
  /** What signing in shows, e.g. "your profile". */
  readonly what: string;
  readonly returnTo: string;
}

/** Stands in for a page that needs a signed-in person. */
export function SignInPrompt({ what, returnTo }: SignInPromptProps) {
  return (
    <Paper withBorder p="xl" maw={520} mx="auto" mt="xl">
      <Stack align="center" gap="sm" ta="center">
        <ThemeIcon size={48} radius="xl" variant="light" color="gray">
          <IconLock size={26} aria-hidden />
        </ThemeIcon>
        <Title order={1} size="h2">
          Sign in to see {what}
        </Title>
        <Text c="dimmed">
          Provena signs you in with your organization&apos;s identity provider. You will come back here
          afterwards.
        </Text>
        <SignInButton label="Sign in to continue" returnTo={returnTo} mt="sm" />
      </Stack>
    </Paper>
  );
}
