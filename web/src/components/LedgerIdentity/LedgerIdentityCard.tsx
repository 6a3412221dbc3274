/**
 * "My ledger identity": the person's Fabric certificate as this browser reads it, who
 * holds its key, and the choice to keep a new key in this browser only. Loaded on demand
 * (React.lazy): the X.509 library stays out of the app's first download.
 */
import { Alert, Badge, Button, Card, Group, List, Modal, Stack, Text, Title } from '@mantine/core';
import { IconBrowser, IconServer } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { retryTransient } from '../../api/queries';
import { certificateRequest } from '../../crypto/csr';
import { createKeyPair, loadKeyPair } from '../../crypto/keyStore';
import { ErrorState } from '../ErrorState';
import { Facts } from '../Verify/Facts';
import { enrollBrowserKey, fetchLedgerIdentity, ledgerIdentityKey, type LedgerIdentity } from './api';
import { readCertificate } from './certificate';

export const BROWSER_KEY_WARNING =
  'Your key will exist only in this browser. If you clear its storage or use another device, ' +
  'you must enroll again. Provena will never be able to sign for you.';

function CustodyBadge({ identity, here }: { readonly identity: LedgerIdentity; readonly here: boolean }) {
  if (identity.custody === 'browser') {
    return (
      <Badge color="teal" leftSection={<IconBrowser size={14} aria-hidden />}>
        {here ? 'Key in this browser' : 'Key in another browser'}
      </Badge>
    );
  }
  return (
    <Badge color="gray" leftSection={<IconServer size={14} aria-hidden />}>
      Key sealed by Provena
    </Badge>
  );
}

function CertificateFacts({ identity }: { readonly identity: LedgerIdentity }) {
  if (identity.certificate_pem === null) {
    return <Text size="sm">No certificate yet: you get one with your first change to the ledger.</Text>;
  }
  const certificate = readCertificate(identity.certificate_pem);
  const attributes = Object.entries(certificate.attributes).filter(([name]) => name.startsWith('provena.'));
  return (
    <Facts
      facts={[
        { label: 'MSP', value: identity.msp_id ?? '—' },
        { label: 'Enrollment id', value: identity.enrollment_id ?? '—', mono: true },
        {
          label: 'Attributes',
          value: (
            <List size="sm" aria-label="Certificate attributes">
              {attributes.map(([name, value]) => (
                <List.Item key={name}>
                  {name} = {value}
                </List.Item>
              ))}
            </List>
          ),
        },
        {
          label: 'Valid',
          value: `${certificate.notBefore.toLocaleString()} – ${certificate.notAfter.toLocaleString()}`,
        },
      ]}
    />
  );
}

export default function LedgerIdentityCard({ subject }: { readonly subject: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [choosing, setChoosing] = useState(false);
  const identity = useQuery({
    queryKey: ledgerIdentityKey(subject),
    queryFn: () => fetchLedgerIdentity(api),
    retry: retryTransient,
  });
  const keyHere = useQuery({
    queryKey: [...ledgerIdentityKey(subject), 'key-here'],
    queryFn: async () => (await loadKeyPair(subject)) !== null,
  });
  const enroll = useMutation({
    mutationFn: async (nextId: string) => {
      const keys = await createKeyPair(subject);
      return enrollBrowserKey(api, await certificateRequest(keys, nextId));
    },
    onSuccess: (enrolled) => {
      setChoosing(false);
      queryClient.setQueryData(ledgerIdentityKey(subject), enrolled);
      void queryClient.invalidateQueries({ queryKey: ledgerIdentityKey(subject) });
    },
  });

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="ledger-identity-heading">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4" id="ledger-identity-heading">
          My ledger identity
        </Title>
        {identity.data !== undefined && (
          <CustodyBadge identity={identity.data} here={keyHere.data === true} />
        )}
      </Group>
      {identity.isPending && <Text size="sm">Loading your ledger identity…</Text>}
      {identity.isError && (
        <ErrorState error={identity.error} heading="Your ledger identity could not be loaded" />
      )}
      {identity.data !== undefined && (
        <Stack gap="md">
          <CertificateFacts identity={identity.data} />
          {identity.data.custody === 'browser' && keyHere.data === true ? (
            <Text size="sm" c="dimmed">
              Your changes to the ledger are signed in this browser.
            </Text>
          ) : (
            <Group>
              <Button
                variant="light"
                h="auto"
                py={8}
                styles={{ label: { whiteSpace: 'normal' } }}
                onClick={() => {
                  setChoosing(true);
                }}
              >
                Keep my signing key in this browser
              </Button>
            </Group>
          )}
          <Modal
            opened={choosing}
            onClose={() => {
              setChoosing(false);
            }}
            title="Keep your signing key in this browser?"
          >
            <Stack gap="md">
              <Text size="sm">{BROWSER_KEY_WARNING}</Text>
              <Text size="sm" c="dimmed">
                Each change you make will ask this browser to sign it. Your next identity is{' '}
                {identity.data.next_enrollment_id}.
              </Text>
              {enroll.isError && <ErrorState error={enroll.error} heading="The key could not be enrolled" />}
              <Group justify="flex-end">
                <Button
                  variant="default"
                  onClick={() => {
                    setChoosing(false);
                  }}
                >
                  Cancel
                </Button>
                <Button
                  loading={enroll.isPending}
                  onClick={() => {
                    enroll.mutate(identity.data.next_enrollment_id);
                  }}
                >
                  Create my key here
                </Button>
              </Group>
            </Stack>
          </Modal>
          {enroll.isSuccess && (
            <Alert color="teal" role="status" title="Your key now lives in this browser">
              You are enrolled as {enroll.data.enrollment_id}.
            </Alert>
          )}
        </Stack>
      )}
    </Card>
  );
}
