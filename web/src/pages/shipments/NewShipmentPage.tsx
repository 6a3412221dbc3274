import { Anchor, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { describeError } from '../../api/errors';
import { retryTransient, useMe } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { fetchCertificates } from '../../components/Certificates/api';
import { DocumentDrop, type PendingFile } from '../../components/Certificates/DocumentDrop';
import { uploadDocument } from '../../components/Certificates/upload';
import { onePageKeys } from '../../components/Dashboard/useDashboard';
import { fetchNetwork } from '../../components/Network/networkApi';
import { PageLoader } from '../../components/PageLoader';
import { createShipment } from '../../components/Shipments/api';
import { ItemFields } from '../../components/Shipments/ItemFields';
import { shipmentPath } from '../../components/Shipments/ShipmentList';
import {
  EMPTY_ITEM,
  shipmentBody,
  suggestShipmentId,
  validateShipment,
  type ShipmentErrors,
  type ShipmentValues,
} from '../../components/Shipments/shipmentForm';
import { WriteStatus } from '../../components/Shipments/WriteStatus';
import { SignInPrompt } from '../../components/SignInPrompt';
import { LINK, MUTED } from '../../components/Transaction/colors';
import { useWriter, type SubmittedWrite } from '../../components/Transaction/submitWrite';
import { WriteError } from '../../components/Transaction/WriteError';
import { usePageTitle } from '../../hooks/usePageTitle';

type Phase =
  | { readonly step: 'editing' | 'uploading' | 'creating' }
  | { readonly step: 'failed'; readonly error: unknown }
  | { readonly step: 'submitted'; readonly id: string; readonly write: SubmittedWrite };

const ACTIVE = { status: 'ACTIVE' } as const;

function NewShipmentForm() {
  const api = useApi();
  const writer = useWriter();
  const { getAccessToken } = useAuth();
  const me = useMe();
  const network = useQuery({
    queryKey: ['network', 1],
    queryFn: () => fetchNetwork(api, 1),
    retry: retryTransient,
  });
  const certificates = useQuery({
    queryKey: onePageKeys.certificates(ACTIVE),
    queryFn: () => fetchCertificates(api, ACTIVE, null),
    retry: retryTransient,
  });
  const [values, setValues] = useState<ShipmentValues>(() => ({
    id: suggestShipmentId(),
    origin: '',
    destinationMsp: '',
    destinationLocation: '',
    items: [EMPTY_ITEM],
  }));
  const [errors, setErrors] = useState<ShipmentErrors>({});
  const [files, setFiles] = useState<PendingFile[]>([]);
  const [phase, setPhase] = useState<Phase>({ step: 'editing' });
  // One key per filled-in form: sending it again answers with the first transaction.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const busy = phase.step === 'uploading' || phase.step === 'creating';
  const locked = busy || phase.step === 'submitted';

  const destinations = (network.data?.organizations ?? [])
    .filter((org) => org.msp_id !== me.data?.organization?.msp_id && org.kind !== 'certification_body')
    .map((org) => ({ value: org.msp_id, label: `${org.name} (${org.msp_id})` }));
  const certificateChoices = (certificates.data?.data ?? []).map((c) => ({
    value: c.id,
    label: `${c.id} · ${c.subject.name}`,
  }));

  const set = (patch: Partial<ShipmentValues>) => {
    setValues((previous) => ({ ...previous, ...patch }));
  };

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const found = validateShipment(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setPhase({ step: 'uploading' });
    try {
      const token = await getAccessToken();
      const cids: string[] = [];
      for (const [index, pending] of files.entries()) {
        const update = (patch: Partial<PendingFile>) => {
          setFiles((previous) => previous.map((file, i) => (i === index ? { ...file, ...patch } : file)));
        };
        try {
          const document = await uploadDocument(pending.file, token, (fraction) => {
            update({ progress: fraction, error: null });
          });
          cids.push(document.cid);
        } catch (error) {
          update({ error: describeError(error).message });
          throw error;
        }
      }
      setPhase({ step: 'creating' });
      const body = shipmentBody(values, cids);
      setPhase({
        step: 'submitted',
        id: body.id,
        write: await createShipment(writer, body, idempotencyKey),
      });
    } catch (error) {
      setPhase({ step: 'failed', error });
    }
  };

  const text = (name: 'id' | 'origin' | 'destinationLocation', label: string, description?: string) => (
    <TextInput
      label={label}
      description={description}
      required
      disabled={locked}
      value={values[name]}
      error={errors[name]}
      onChange={(event) => {
        set({ [name]: event.currentTarget.value });
      }}
    />
  );

  return (
    <Stack gap="lg" maw={860}>
      <div>
        <Title order={1}>New shipment</Title>
        <Text c={MUTED}>
          The shipment is recorded on the ledger with your organization as owner and custodian.
        </Text>
      </div>
      <form onSubmit={(event) => void submit(event)} noValidate aria-label="New shipment">
        <Stack gap="md">
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={2} size="h4">
                Route
              </Title>
              {text('id', 'Shipment id')}
              {text('origin', 'Origin', 'Where it leaves from, e.g. the packhouse')}
              <Select
                label="Destination organization"
                required
                disabled={locked}
                placeholder={network.isPending ? 'Loading organizations…' : 'Pick an organization'}
                data={destinations}
                value={values.destinationMsp === '' ? null : values.destinationMsp}
                error={errors['destinationMsp']}
                onChange={(msp) => {
                  set({ destinationMsp: msp ?? '' });
                }}
              />
              {text('destinationLocation', 'Destination location', 'e.g. the distribution centre')}
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={2} size="h4">
                Items
              </Title>
              {values.items.map((item, index) => (
                <ItemFields
                  key={index}
                  index={index}
                  item={item}
                  errors={errors}
                  certificates={certificateChoices}
                  disabled={locked}
                  onChange={(next) => {
                    set({ items: values.items.map((old, i) => (i === index ? next : old)) });
                  }}
                  onRemove={
                    values.items.length > 1
                      ? () => {
                          set({ items: values.items.filter((_, i) => i !== index) });
                        }
                      : undefined
                  }
                />
              ))}
              <Group>
                <Button
                  variant="default"
                  leftSection={<IconPlus size={16} aria-hidden />}
                  disabled={locked}
                  onClick={() => {
                    set({ items: [...values.items, EMPTY_ITEM] });
                  }}
                >
                  Add an item
                </Button>
              </Group>
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={2} size="h4">
                Documents
              </Title>
              <DocumentDrop
                files={files}
                disabled={locked}
                onAdd={(added) => {
                  setFiles((previous) => [
                    ...previous,
                    ...added.map((file) => ({ file, progress: null, error: null })),
                  ]);
                }}
              />
            </Stack>
          </Paper>
          {Object.keys(errors).length > 0 && (
            <Text c="red.9" size="sm" role="alert">
              Some fields need attention.
            </Text>
          )}
          {phase.step === 'failed' && (
            <WriteError error={phase.error} heading="The shipment was not created" />
          )}
          {phase.step !== 'submitted' && (
            <Group>
              <Button type="submit" loading={busy}>
                Create shipment
              </Button>
            </Group>
          )}
          {phase.step === 'submitted' && (
            <Stack gap="xs">
              <WriteStatus write={phase.write} label={`Creating ${phase.id}`} />
              <Anchor c={LINK} component={Link} to={shipmentPath(phase.id)}>
                Open {phase.id}
              </Anchor>
            </Stack>
          )}
        </Stack>
      </form>
    </Stack>
  );
}

export function NewShipmentPage() {
  usePageTitle('New shipment');
  const { status } = useAuth();
  const { pathname } = useLocation();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="the new shipment form" returnTo={pathname} />;
  return <NewShipmentForm />;
}
