import { Avatar, Button, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { ApiError } from '../api/errors';
import { useMe } from '../api/queries';
import { useAuth } from '../auth/AuthContext';
import { ErrorState } from '../components/ErrorState';
import { PageLoader } from '../components/PageLoader';
import { IdentityCard } from '../components/Profile/IdentityCard';
import { OrganizationCard } from '../components/Profile/OrganizationCard';
import { RolesCard } from '../components/Profile/RolesCard';
import { SignInButton } from '../components/SignInButton';
import { SignInPrompt } from '../components/SignInPrompt';
import { usePageTitle } from '../hooks/usePageTitle';

const LedgerIdentityCard = lazy(() => import('../components/LedgerIdentity/LedgerIdentityCard'));

export function ProfilePage() {
  usePageTitle('Profile');
  const { status } = useAuth();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="your profile" returnTo="/profile" />;
  return <Profile />;
}

function Profile() {
  const me = useMe();

  if (me.isPending) {
    return (
      <Stack gap="lg" aria-busy="true" aria-label="Loading your profile">
        <Skeleton height={56} width={320} />
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Skeleton height={200} />
          <Skeleton height={200} />
          <Skeleton height={200} />
        </SimpleGrid>
      </Stack>
    );
  }
  if (me.isError) {
    const unauthorized = me.error instanceof ApiError && me.error.isUnauthorized;
    return (
      <ErrorState error={me.error} heading="Your profile could not be loaded">
        {unauthorized ? (
          <SignInButton label="Sign in again" returnTo="/profile" size="xs" />
        ) : (
          <Button
            size="xs"
            variant="light"
            color="red"
            onClick={() => void me.refetch()}
            loading={me.isFetching}
          >
            Try again
          </Button>
        )}
      </ErrorState>
    );
  }

  const { data } = me;
  const name = data.display_name ?? data.email ?? data.subject;
  return (
    <Stack gap="lg">
      <Group gap="md" wrap="nowrap">
        <Avatar name={name} color="initials" size={56} aria-hidden />
        <div>
          <Title order={1} size="h2">
            {name}
          </Title>
          {data.organization !== null && <Text c="dimmed">{data.organization.name}</Text>}
        </div>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <IdentityCard me={data} />
        <OrganizationCard organization={data.organization} />
        <RolesCard roles={data.roles} />
      </SimpleGrid>
      {data.roles.length > 0 && (
        <Suspense fallback={<Skeleton height={200} />}>
          <LedgerIdentityCard subject={data.subject} />
        </Suspense>
      )}
    </Stack>
  );
}
