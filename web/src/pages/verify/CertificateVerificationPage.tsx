import { Anchor, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { PageLoader } from '../../components/PageLoader';
import { CertificateResult } from '../../components/Verify/CertificateResult';
import { VerifyError } from '../../components/Verify/VerifyError';
import { verifyCertificate } from '../../components/Verify/verifyApi';
import { usePageTitle } from '../../hooks/usePageTitle';

/** `2024-05-01T09:30` in local time, what a datetime-local input holds, for an instant. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function CertificateVerificationPage() {
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const at = search.get('at');
  usePageTitle(`Verify certificate ${id}`);
  const api = useApi();
  const result = useQuery({
    queryKey: ['verify', 'certificate', id, at],
    queryFn: () => verifyCertificate(api, id, at),
    retry: false,
  });

  const setAt = (value: string) => {
    const date = new Date(value);
    setSearch(value === '' || Number.isNaN(date.getTime()) ? {} : { at: date.toISOString() }, {
      replace: true,
    });
  };

  return (
    <Stack gap="lg">
      <div>
        <Anchor component={Link} to="/verify" size="sm">
          ← Verify another record
        </Anchor>
        <Title order={1} style={{ overflowWrap: 'anywhere' }}>
          Certificate {id}
        </Title>
        <Text c="dimmed">Checked against the ledger, {at === null ? 'now' : 'at the date you chose'}.</Text>
      </div>
      <Group align="end" gap="sm">
        <TextInput
          type="datetime-local"
          label="Status at a date"
          value={at === null ? '' : toLocalInput(at)}
          onChange={(event) => {
            setAt(event.currentTarget.value);
          }}
        />
        {at !== null && (
          <Button
            variant="default"
            onClick={() => {
              setAt('');
            }}
          >
            Now
          </Button>
        )}
      </Group>
      {result.isPending && <PageLoader label="Checking the ledger…" />}
      {result.isError && <VerifyError error={result.error} kind="certificate" id={id} />}
      {result.data !== undefined && <CertificateResult result={result.data} />}
    </Stack>
  );
}
