import {
  Alert,
  Box,
  Button,
  Group,
  Paper,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertOctagon } from '@tabler/icons-react';
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, useState, type SyntheticEvent } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { retryTransient, useMe } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { ErrorState } from '../../components/ErrorState';
import { PageLoader } from '../../components/PageLoader';
import {
  fetchRecallPreview,
  recallKeys,
  recallPath,
  recordRecall,
  suggestRecallId,
  type RecallPreview,
} from '../../components/Recalls/api';
import { mayRecall } from '../../components/Recalls/permissions';
import { PreviewShipments, RecallReachView } from '../../components/Recalls/RecallReachView';
import { SignInPrompt } from '../../components/SignInPrompt';
import { ERROR, MUTED } from '../../components/Transaction/colors';
import { useWriter, type SubmittedWrite } from '../../components/Transaction/submitWrite';
import { useTransaction } from '../../components/Transaction/transaction';
import { TransactionStatus } from '../../components/Transaction/TransactionStatus';
import { WriteError } from '../../components/Transaction/WriteError';
import { usePageTitle } from '../../hooks/usePageTitle';

type Phase =
  | { readonly step: 'editing' | 'recording' }
  | { readonly step: 'failed'; readonly error: unknown }
  | { readonly step: 'submitted'; readonly id: string; readonly write: SubmittedWrite };

/** The ledger's record ids: what the API accepts as a recall number. */
const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const FIELD_STYLES = { error: { color: ERROR } };

/** The recall's transaction; once committed, its page. */
function Recording({ id, write }: { readonly id: string; readonly write: SubmittedWrite }) {
  const navigate = useNavigate();
  const { transaction, signedInBrowser } = write;
  const committed = useTransaction(transaction.tx_id, transaction).data?.status === 'committed';
  useEffect(() => {
    if (committed) void navigate(recallPath(id));
  }, [committed, id, navigate]);
  return (
    <TransactionStatus
      txId={transaction.tx_id}
      initial={transaction}
      label={`Recording recall ${id}`}
      signedInBrowser={signedInBrowser}
    />
  );
}

function Preview({
  lots,
  preview,
}: {
  readonly lots: readonly string[];
  readonly preview: UseQueryResult<RecallPreview>;
}) {
  if (lots.length === 0) {
    return (
      <Text size="sm" c={MUTED}>
        Add a lot to see what the recall reaches.
      </Text>
    );
  }
  if (preview.isPending) return <PageLoader label="Working out what the recall reaches…" />;
  if (preview.isError)
    return <ErrorState error={preview.error} heading="Could not work out what the recall reaches" />;
  return (
    <Box style={{ opacity: preview.isPlaceholderData ? 0.6 : 1 }} aria-busy={preview.isPlaceholderData}>
      <RecallReachView
        reach={preview.data}
        shipments={<PreviewShipments shipments={preview.data.shipments} />}
      />
    </Box>
  );
}

function notified(preview: RecallPreview | undefined): string {
  if (preview === undefined || preview.organizations.length === 0) return '';
  return ` ${preview.organizations.join(', ')} will be notified.`;
}

function NewRecallForm({ initialLots }: { readonly initialLots: readonly string[] }) {
  const api = useApi();
  const writer = useWriter();
  const [id, setId] = useState(suggestRecallId);
  const [lots, setLots] = useState<string[]>([...initialLots]);
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [phase, setPhase] = useState<Phase>({ step: 'editing' });
  // One key per filled-in form: sending it again answers with the first transaction.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const locked = phase.step === 'recording' || phase.step === 'submitted';
  const preview = useQuery({
    queryKey: recallKeys.preview(lots),
    queryFn: () => fetchRecallPreview(api, lots),
    enabled: lots.length > 0,
    // The last preview stays while the next one loads, so the page does not jump.
    placeholderData: keepPreviousData,
    retry: retryTransient,
  });
  const previewed = lots.length > 0 && preview.isSuccess && !preview.isPlaceholderData;

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const recallId = id.trim();
    const bad = !ID.test(recallId) || lots.length === 0 || reason.trim() === '';
    setInvalid(bad);
    if (bad) return;
    setPhase({ step: 'recording' });
    try {
      const write = await recordRecall(writer, { id: recallId, lots, reason: reason.trim() }, idempotencyKey);
      setPhase({ step: 'submitted', id: recallId, write });
    } catch (error) {
      setPhase({ step: 'failed', error });
    }
  };

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>New recall</Title>
        <Text c={MUTED}>
          Recall lots: Provena finds every lot and unit made or packed from them, the shipments that carry
          them and who holds each now, and tells the organizations concerned.
        </Text>
      </div>
      <form onSubmit={(event) => void submit(event)} noValidate aria-label="New recall">
        <Stack gap="md">
          <Paper withBorder p="md">
            <Stack gap="sm">
              <TagsInput
                label="Lots"
                description="Each lot's GS1 Digital Link, EPC URN or Provena URN; press Enter after each"
                placeholder={
                  lots.length === 0 ? 'https://id.gs1.org/01/08437001001019/10/LOT-TOM-2026-014' : ''
                }
                value={lots}
                onChange={setLots}
                splitChars={[',', ' ']}
                clearable
                required
                disabled={locked}
                error={invalid && lots.length === 0 ? 'Add at least one lot' : undefined}
                styles={FIELD_STYLES}
              />
            </Stack>
          </Paper>
          <Stack gap="xs" component="section" aria-labelledby="recall-preview-title">
            <Title order={2} size="h4" id="recall-preview-title">
              What the recall reaches
            </Title>
            <Preview lots={lots} preview={preview} />
          </Stack>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <TextInput
                label="Recall number"
                required
                value={id}
                disabled={locked}
                onChange={(event) => {
                  setId(event.currentTarget.value);
                }}
                error={
                  invalid && !ID.test(id.trim()) ? 'Letters, digits and . _ : - only, at most 64' : undefined
                }
                styles={FIELD_STYLES}
                maw={360}
              />
              <Textarea
                label="Reason"
                description="Everyone notified reads it, and it stays on the ledger."
                required
                rows={3}
                maxLength={2000}
                value={reason}
                disabled={locked}
                onChange={(event) => {
                  setReason(event.currentTarget.value);
                }}
                error={invalid && reason.trim() === '' ? 'Say why the lots are recalled' : undefined}
                styles={FIELD_STYLES}
              />
              {phase.step === 'failed' && (
                <WriteError error={phase.error} heading="The recall was not recorded" />
              )}
              {phase.step !== 'submitted' && (
                <Group gap="sm">
                  <Button
                    type="submit"
                    color="red.9"
                    leftSection={<IconAlertOctagon size={18} aria-hidden />}
                    loading={phase.step === 'recording'}
                    disabled={!previewed}
                  >
                    Record the recall
                  </Button>
                  <Text size="sm" c={MUTED}>
                    The recall is recorded on the ledger, signed with your own identity.
                    {notified(previewed ? preview.data : undefined)}
                  </Text>
                </Group>
              )}
            </Stack>
          </Paper>
        </Stack>
      </form>
      {phase.step === 'submitted' && <Recording id={phase.id} write={phase.write} />}
    </Stack>
  );
}

export function NewRecallPage() {
  usePageTitle('New recall');
  const { status } = useAuth();
  const { pathname, search } = useLocation();
  const [params] = useSearchParams();
  const me = useMe();
  if (status === 'loading' || (status === 'signed-in' && me.isPending)) {
    return <PageLoader label="Checking sign-in…" />;
  }
  if (status === 'signed-out')
    return <SignInPrompt what="the recall form" returnTo={`${pathname}${search}`} />;
  if (me.isError) return <ErrorState error={me.error} heading="Could not tell who you are" />;
  if (me.data === undefined || !mayRecall(me.data)) {
    return (
      <Alert role="alert" color="yellow" title="Producers, certifiers and administrators only">
        Only producers, certifiers and administrators can record a recall.
      </Alert>
    );
  }
  return <NewRecallForm initialLots={params.getAll('lot')} />;
}
