import { Button, Group, Modal, Select, Stack, TagsInput, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { retryTransient } from '../../api/queries';
import { ErrorState } from '../ErrorState';
import type { Organization } from '../Network/OrganizationsTable';
import { PageLoader } from '../PageLoader';
import { ERROR } from '../Transaction/colors';
import { useTransaction } from '../Transaction/transaction';
import { useWriter, type SubmittedWrite } from '../Transaction/submitWrite';
import { WriteError } from '../Transaction/WriteError';
import { TransactionStatus } from '../Transaction/TransactionStatus';
import { Section } from '../Verify/Section';
import { AccreditationList } from './AccreditationList';
import { accredit, adminKeys, fetchAccreditations, withdraw } from './adminApi';
import { grantProblems, type GrantProblems } from './grant';

interface Sent extends SubmittedWrite {
  readonly label: string;
}

/** The write's live status; the accreditations are read again once it is committed. */
function SentStatus({ sent }: { readonly sent: Sent }) {
  const queryClient = useQueryClient();
  const status = useTransaction(sent.transaction.tx_id, sent.transaction).data?.status;
  useEffect(() => {
    if (status === 'committed') void queryClient.invalidateQueries({ queryKey: adminKeys.accreditations });
  }, [status, queryClient]);
  return (
    <TransactionStatus
      txId={sent.transaction.tx_id}
      initial={sent.transaction}
      label={sent.label}
      signedInBrowser={sent.signedInBrowser}
    />
  );
}

function GrantForm({
  organizations,
  onSent,
}: {
  readonly organizations: readonly Organization[];
  readonly onSent: (sent: Sent) => void;
}) {
  const writer = useWriter();
  const [mspId, setMspId] = useState<string | null>(null);
  const [schemes, setSchemes] = useState<string[]>([]);
  const [problems, setProblems] = useState<GrantProblems>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const send = async () => {
    const found = grantProblems(mspId, schemes);
    setProblems(found);
    if (mspId === null || Object.keys(found).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const written = await accredit(writer, { msp_id: mspId, schemes });
      onSent({ ...written, label: `Accrediting ${mspId} for ${schemes.join(', ')}` });
      setSchemes([]);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack
      gap="sm"
      component="form"
      aria-label="Grant an accreditation"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <Group align="flex-start" grow preventGrowOverflow={false} wrap="wrap">
        <Select
          label="Organization"
          placeholder="Choose one"
          data={organizations.map((o) => ({ value: o.msp_id, label: `${o.name} (${o.msp_id})` }))}
          value={mspId}
          onChange={setMspId}
          error={problems.mspId}
          styles={{ error: { color: ERROR } }}
          miw={220}
        />
        <TagsInput
          label="Schemes"
          description="Press Enter after each"
          placeholder="e.g. EU-ORGANIC"
          value={schemes}
          onChange={setSchemes}
          error={problems.schemes}
          styles={{ error: { color: ERROR } }}
          miw={220}
        />
      </Group>
      <Group>
        <Button type="submit" loading={busy} color="teal.9">
          Grant accreditation
        </Button>
      </Group>
      {error !== null && <WriteError error={error} heading="The accreditation was not sent" />}
    </Stack>
  );
}

function WithdrawModal({
  target,
  onClose,
  onSent,
}: {
  readonly target: { readonly mspId: string; readonly scheme: string } | null;
  readonly onClose: () => void;
  readonly onSent: (sent: Sent) => void;
}) {
  const writer = useWriter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    if (target === null) return;
    setBusy(true);
    setError(null);
    try {
      const written = await withdraw(writer, target.mspId, target.scheme);
      onSent({ ...written, label: `Withdrawing ${target.scheme} from ${target.mspId}` });
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={target === null ? '' : `Withdraw ${target.scheme} from ${target.mspId}?`}
    >
      <Stack gap="sm">
        <Text size="sm">
          From the commit on, certificates this body issues under the scheme are refused by the ledger, and
          verifications of its certificates show the accreditation withdrawn. The registry records who
          withdrew it and when.
        </Text>
        {error !== null && <WriteError error={error} heading="The withdrawal was not sent" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep it
          </Button>
          <Button color="red.9" loading={busy} onClick={() => void confirm()}>
            Withdraw
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The accreditations on the ledger; governors also grant and withdraw them here. */
export function AccreditationsPanel({
  governs,
  organizations,
}: {
  readonly governs: boolean;
  readonly organizations: readonly Organization[];
}) {
  const api = useApi();
  const accreditations = useQuery({
    queryKey: adminKeys.accreditations,
    queryFn: () => fetchAccreditations(api),
    retry: retryTransient,
  });
  const [sent, setSent] = useState<readonly Sent[]>([]);
  const [target, setTarget] = useState<{ mspId: string; scheme: string } | null>(null);
  const record = (next: Sent) => {
    setSent((previous) => [next, ...previous]);
  };
  return (
    <Stack gap="md">
      {accreditations.isPending && <PageLoader label="Reading the accreditations…" />}
      {accreditations.isError && (
        <ErrorState error={accreditations.error} heading="The accreditations could not be read" />
      )}
      {accreditations.data !== undefined && (
        <AccreditationList
          accreditations={accreditations.data}
          onWithdraw={
            governs
              ? (mspId, scheme) => {
                  setTarget({ mspId, scheme });
                }
              : undefined
          }
        />
      )}
      {sent.map((s) => (
        <SentStatus key={s.transaction.tx_id} sent={s} />
      ))}
      {governs && (
        <Section title="Grant an accreditation">
          <GrantForm organizations={organizations} onSent={record} />
        </Section>
      )}
      <WithdrawModal
        target={target}
        onClose={() => {
          setTarget(null);
        }}
        onSent={record}
      />
    </Stack>
  );
}
