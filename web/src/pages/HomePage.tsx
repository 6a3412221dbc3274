import { Box, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import {
  IconActivityHeartbeat,
  IconCertificate,
  IconShieldCheck,
  IconTruckDelivery,
} from '@tabler/icons-react';
import { Link } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { FeatureCard } from '../components/FeatureCard';
import { SignInButton } from '../components/SignInButton';
import { usePageTitle } from '../hooks/usePageTitle';

export function HomePage() {
  usePageTitle('Home');
  const { status, user } = useAuth();
  const firstName = user?.profile.given_name ?? user?.profile.name?.split(' ')[0] ?? null;

  return (
    <Stack gap="xl">
      <Paper
        withBorder
        radius="lg"
        p={{ base: 'lg', sm: 'xl' }}
        style={{
          backgroundImage:
            'linear-gradient(135deg, var(--mantine-color-teal-light) 0%, var(--mantine-color-cyan-light) 100%)',
        }}
      >
        <Stack gap="md" maw={680}>
          <Title order={1}>
            {status === 'signed-in' && firstName !== null
              ? `Welcome back, ${firstName}`
              : 'Welcome to Provena'}
          </Title>
          <Text size="lg">
            Provena makes supply chains verifiable. Certification bodies issue and revoke certificates,
            producers and carriers hand shipments on from custody to custody, and anyone allowed can verify
            every record and the documents behind it.
          </Text>
          <Group gap="sm">
            {status === 'signed-out' && <SignInButton label="Sign in to Provena" size="md" returnTo="/" />}
            {status === 'signed-in' && (
              <Button component={Link} to="/profile" size="md">
                Your profile
              </Button>
            )}
            <Button
              component={Link}
              to="/system"
              size="md"
              variant="default"
              leftSection={<IconActivityHeartbeat size={18} aria-hidden />}
            >
              System status
            </Button>
          </Group>
        </Stack>
      </Paper>

      <Box component="section" aria-labelledby="how-it-works">
        <Title order={2} id="how-it-works" size="h3" mb="md">
          How it works
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <FeatureCard icon={IconCertificate} title="Certificates">
            Certification bodies issue and revoke certificates as ledger records that cannot be quietly
            changed afterwards.
          </FeatureCard>
          <FeatureCard icon={IconTruckDelivery} title="Custody">
            Producers and carriers hand shipments on and record checkpoints; every hand-over says who did
            what, and when.
          </FeatureCard>
          <FeatureCard icon={IconShieldCheck} title="Verification">
            Documents live in IPFS, addressed by their content. The ledger keeps their fingerprints, so any
            copy can be checked.
          </FeatureCard>
        </SimpleGrid>
      </Box>

      <Text size="sm" c="dimmed">
        Critical records live on a permissioned Hyperledger Fabric ledger, documents and media in IPFS, and
        people sign in with their own organization&apos;s identity provider.
      </Text>
    </Stack>
  );
}
