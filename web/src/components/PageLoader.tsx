import { Center, Loader, Stack, Text } from '@mantine/core';

/** A polite, labelled "loading" for a whole page. */
export function PageLoader({ label }: { readonly label: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader aria-hidden />
        <Text c="dimmed" size="sm">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}
