import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { useMe } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { issueCertificate, SUBJECT_KINDS, type SubjectKind } from '../../components/Certificates/api';
import { certificatePath } from '../../components/Certificates/CertificateList';
import { DocumentDrop, type PendingFile } from '../../components/Certificates/DocumentDrop';
import {
  issueBody,
  suggestId,
  validateIssue,
  type IssueErrors,
  type IssueValues,
} from '../../components/Certificates/issueForm';
import { uploadDocument } from '../../components/Certificates/upload';
import { ErrorState } from '../../components/ErrorState';
import { PageLoader } from '../../components/PageLoader';
import { SignInPrompt } from '../../components/SignInPrompt';
import { ERROR, LINK, MUTED } from '../../components/Transaction/colors';
import { useWriter, type SubmittedWrite } from '../../components/Transaction/submitWrite';
import { TransactionStatus } from '../../components/Transaction/TransactionStatus';
import { WriteError } from '../../components/Transaction/WriteError';
import { describeError } from '../../api/errors';
import { usePageTitle } from '../../hooks/usePageTitle';

type Phase =
  | { readonly step: 'editing' }
  | { readonly step: 'uploading' }
  | { readonly step: 'issuing' }
  | { readonly step: 'failed'; readonly error: unknown }
  | { readonly step: 'submitted'; readonly id: string; readonly write: SubmittedWrite };

/** Field error text dark enough to read (the theme's red is below WCAG AA on white). */
const FIELD_STYLES = { error: { color: ERROR } };

function today(offsetDays = 0): string {
  const day = new Date(Date.now() + offsetDays * 86_400_000);
  return day.toISOString().slice(0, 10);
}

const KIND_LABELS: Readonly<Record<SubjectKind, string>> = {
  organization: 'Organization',
  facility: 'Facility',
  product: 'Product',
  lot: 'Lot',
};

function IssueForm() {
  const writer = useWriter();
  const { getAccessToken } = useAuth();
  const [values, setValues] = useState<IssueValues>(() => ({
    id: suggestId(),
    scheme: '',
    subjectKind: 'organization',
    subjectId: '',
    subjectName: '',
    subjectMsp: '',
    scope: '',
    validFrom: today(),
    validUntil: today(365),
  }));
  const [errors, setErrors] = useState<IssueErrors>({});
  const [files, setFiles] = useState<PendingFile[]>([]);
  const [phase, setPhase] = useState<Phase>({ step: 'editing' });
  // One key per filled-in form: sending it again answers with the first transaction.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const busy = phase.step === 'uploading' || phase.step === 'issuing';

  const set = (name: keyof IssueValues) => (value: string) => {
    setValues((previous) => ({ ...previous, [name]: value }));
  };
  const field = (name: keyof IssueValues) => ({
    value: values[name],
    error: errors[name],
    styles: FIELD_STYLES,
    disabled: busy || phase.step === 'submitted',
    onChange: (event: { currentTarget: { value: string } }) => {
      set(name)(event.currentTarget.value);
    },
  });

  const progress = (index: number, update: Partial<PendingFile>) => {
    setFiles((previous) => previous.map((file, i) => (i === index ? { ...file, ...update } : file)));
  };

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const found = validateIssue(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setPhase({ step: 'uploading' });
    try {
      const token = await getAccessToken();
      const cids: string[] = [];
      for (const [index, pending] of files.entries()) {
        try {
          const document = await uploadDocument(pending.file, token, (fraction) => {
            progress(index, { progress: fraction, error: null });
          });
          cids.push(document.cid);
        } catch (error) {
          progress(index, { error: describeError(error).message });
          throw error;
        }
      }
      setPhase({ step: 'issuing' });
      const body = issueBody(values, cids);
      const write = await issueCertificate(writer, body, idempotencyKey);
      setPhase({ step: 'submitted', id: body.id, write });
    } catch (error) {
      setPhase({ step: 'failed', error });
    }
  };

  return (
    <Stack gap="lg" maw={820}>
      <div>
        <Title order={1}>Issue a certificate</Title>
        <Text c={MUTED}>The certificate is recorded on the ledger, signed with your own identity.</Text>
      </div>
      <form onSubmit={(event) => void submit(event)} noValidate aria-label="Issue a certificate">
        <Stack gap="md">
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={2} size="h4">
                Certificate
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label="Certificate number" required {...field('id')} />
                <TextInput label="Scheme" placeholder="e.g. EU-ORGANIC" required {...field('scheme')} />
              </SimpleGrid>
              <Textarea
                label="Scope"
                placeholder="What the certificate covers"
                required
                rows={3}
                {...field('scope')}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput type="date" label="Valid from" required {...field('validFrom')} />
                <TextInput type="date" label="Valid until" required {...field('validUntil')} />
              </SimpleGrid>
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={2} size="h4">
                Subject
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select
                  label="Kind"
                  required
                  allowDeselect={false}
                  data={SUBJECT_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))}
                  value={values.subjectKind}
                  disabled={busy || phase.step === 'submitted'}
                  onChange={(kind) => {
                    if (kind !== null) set('subjectKind')(kind);
                  }}
                />
                <TextInput
                  label="Identifier"
                  placeholder="e.g. GVFC or LOT-TOM-2026-014"
                  required
                  {...field('subjectId')}
                />
                <TextInput label="Name" required {...field('subjectName')} />
                <TextInput
                  label="Holder organization (MSP)"
                  description="Lets the holder see the certificate"
                  placeholder="e.g. ProducerMSP"
                  {...field('subjectMsp')}
                />
              </SimpleGrid>
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={2} size="h4">
                Documents
              </Title>
              <DocumentDrop
                files={files}
                disabled={busy || phase.step === 'submitted'}
                onAdd={(added) => {
                  setFiles((previous) => [
                    ...previous,
                    ...added.map((file) => ({ file, progress: null, error: null })),
                  ]);
                }}
              />
            </Stack>
          </Paper>
          {phase.step === 'failed' && (
            <WriteError error={phase.error} heading="The certificate was not issued" />
          )}
          {phase.step !== 'submitted' && (
            <Group>
              <Button type="submit" loading={busy}>
                Issue certificate
              </Button>
              {phase.step === 'uploading' && <Text size="sm">Uploading documents…</Text>}
            </Group>
          )}
        </Stack>
      </form>
      {phase.step === 'submitted' && (
        <Stack gap="sm">
          <TransactionStatus
            txId={phase.write.transaction.tx_id}
            initial={phase.write.transaction}
            label={`Issuing ${phase.id}`}
            signedInBrowser={phase.write.signedInBrowser}
          />
          <Anchor c={LINK} component={Link} to={certificatePath(phase.id)} fw={600}>
            Open certificate {phase.id}
          </Anchor>
        </Stack>
      )}
    </Stack>
  );
}

export function IssueCertificatePage() {
  usePageTitle('Issue a certificate');
  const { status } = useAuth();
  const { pathname } = useLocation();
  const me = useMe();
  if (status === 'loading' || (status === 'signed-in' && me.isPending))
    return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="the certificate form" returnTo={pathname} />;
  if (me.isError) return <ErrorState error={me.error} heading="Could not tell who you are" />;
  if (!(me.data?.roles.includes('certifier') ?? false)) {
    return (
      <Alert role="alert" color="yellow" title="Certifiers only">
        Only certifiers of an accredited certification body can issue certificates.
      </Alert>
    );
  }
  return <IssueForm />;
}
