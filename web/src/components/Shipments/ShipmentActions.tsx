import { Button, Group, Paper, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { useApi } from '../../api/ApiContext';
import { retryTransient } from '../../api/queries';
import type { Me } from '../../api/types';
import { fetchNetwork } from '../Network/networkApi';
import { useWriter, type SubmittedWrite } from '../Transaction/submitWrite';
import { WriteError } from '../Transaction/WriteError';
import { actOnShipment, type ShipmentAction, type ShipmentDetail } from './api';
import { BIZ_STEPS, checkpointBody, DISPOSITIONS, type CheckpointInput } from './checkpointForm';
import { allowedActions, type ActionKind } from './permissions';
import { WriteStatus } from './WriteStatus';

const LABELS: Readonly<Record<ActionKind, string>> = {
  propose: 'Propose a transfer',
  accept: 'Accept the transfer',
  reject: 'Reject the transfer',
  cancel: 'Cancel the transfer',
  checkpoint: 'Record a checkpoint',
  deliver: 'Confirm delivery',
};

/** What each write is called while it travels to the ledger. */
const RUNNING: Readonly<Record<ActionKind, string>> = {
  propose: 'Proposing the transfer',
  accept: 'Accepting the transfer',
  reject: 'Rejecting the transfer',
  cancel: 'Cancelling the transfer',
  checkpoint: 'Recording the checkpoint',
  deliver: 'Confirming delivery',
};

const ORDER: readonly ActionKind[] = ['accept', 'reject', 'deliver', 'checkpoint', 'propose', 'cancel'];

/** Actions that need no more input are sent straight from their button. */
const AT_ONCE: ReadonlySet<ActionKind> = new Set(['accept', 'cancel', 'deliver']);

const human = (code: string) => code.replaceAll('_', ' ');

function FormShell({ onSubmit, children }: { readonly onSubmit: () => void; readonly children: ReactNode }) {
  return (
    <Paper
      withBorder
      p="md"
      component="form"
      onSubmit={(event: SyntheticEvent) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <Stack gap="sm">{children}</Stack>
    </Paper>
  );
}

function ProposeForm({ me, busy, onSend }: FormProps & { readonly me: Me }) {
  const api = useApi();
  const network = useQuery({
    queryKey: ['network', 1],
    queryFn: () => fetchNetwork(api, 1),
    retry: retryTransient,
  });
  const [to, setTo] = useState<string | null>(null);
  const choices = (network.data?.organizations ?? [])
    .filter((org) => org.msp_id !== me.organization?.msp_id && org.kind !== 'certification_body')
    .map((org) => ({ value: org.msp_id, label: `${org.name} (${org.msp_id})` }));
  return (
    <FormShell
      onSubmit={() => {
        if (to !== null) onSend({ kind: 'propose', toMsp: to });
      }}
    >
      <Select
        label="Hand custody to"
        placeholder={network.isPending ? 'Loading organizations…' : 'Pick an organization'}
        data={choices}
        value={to}
        onChange={setTo}
        required
      />
      <Group>
        <Button type="submit" loading={busy} disabled={to === null}>
          Propose
        </Button>
      </Group>
    </FormShell>
  );
}

interface FormProps {
  readonly busy: boolean;
  readonly onSend: (action: ShipmentAction) => void;
}

function RejectForm({ busy, onSend }: FormProps) {
  const [reason, setReason] = useState('');
  return (
    <FormShell
      onSubmit={() => {
        onSend({ kind: 'reject', reason: reason.trim() });
      }}
    >
      <Textarea
        label="Reason"
        description="The custodian sees it, and it stays in the shipment's history."
        value={reason}
        onChange={(event) => {
          setReason(event.currentTarget.value);
        }}
        required
        maxLength={2000}
        rows={3}
      />
      <Group>
        <Button type="submit" color="red.9" loading={busy} disabled={reason.trim() === ''}>
          Reject
        </Button>
      </Group>
    </FormShell>
  );
}

function CheckpointForm({ busy, onSend }: FormProps) {
  const [input, setInput] = useState<CheckpointInput>({
    bizStep: 'transporting',
    disposition: 'in_transit',
    readPoint: '',
    location: '',
    temperatures: '',
  });
  const [invalid, setInvalid] = useState(false);
  const set = (patch: Partial<CheckpointInput>) => {
    setInput((previous) => ({ ...previous, ...patch }));
  };
  return (
    <FormShell
      onSubmit={() => {
        const checkpoint = checkpointBody(input, new Date());
        setInvalid(checkpoint === null);
        if (checkpoint !== null) onSend({ kind: 'checkpoint', checkpoint });
      }}
    >
      <Group grow wrap="wrap" align="flex-start">
        <Select
          label="Business step"
          data={BIZ_STEPS.map((step) => ({ value: step, label: human(step) }))}
          value={input.bizStep}
          onChange={(value) => {
            if (value !== null) set({ bizStep: value });
          }}
          allowDeselect={false}
          miw="10rem"
        />
        <Select
          label="Disposition"
          data={DISPOSITIONS.map((disposition) => ({ value: disposition, label: human(disposition) }))}
          value={input.disposition}
          onChange={(value) => {
            if (value !== null) set({ disposition: value });
          }}
          allowDeselect={false}
          miw="10rem"
        />
      </Group>
      <TextInput
        label="Read point"
        description="Where it was seen, e.g. a GLN URN of a dock or a trailer"
        placeholder="urn:epc:id:sgln:7350012.00001.REEFER-17"
        value={input.readPoint}
        onChange={(event) => {
          set({ readPoint: event.currentTarget.value });
        }}
        required
      />
      <TextInput
        label="Location"
        description="The business location it is at (optional)"
        value={input.location}
        onChange={(event) => {
          set({ location: event.currentTarget.value });
        }}
      />
      <TextInput
        label="Temperatures (°C)"
        description="Readings separated by commas, e.g. 4.1, 4.6"
        value={input.temperatures}
        onChange={(event) => {
          set({ temperatures: event.currentTarget.value });
        }}
        error={invalid ? 'Each reading must be a number such as 4.5' : undefined}
        inputMode="decimal"
      />
      <Group>
        <Button type="submit" loading={busy} disabled={input.readPoint.trim() === ''}>
          Record
        </Button>
      </Group>
    </FormShell>
  );
}

/**
 * The transfer and checkpoint writes the signed-in person may make on this shipment,
 * each followed by its transaction's status; the page refreshes once it commits.
 */
export function ShipmentActions({ shipment, me }: { readonly shipment: ShipmentDetail; readonly me: Me }) {
  const writer = useWriter();
  const [open, setOpen] = useState<ActionKind | null>(null);
  const [sent, setSent] = useState<{ readonly kind: ActionKind; readonly write: SubmittedWrite } | null>(
    null,
  );
  const write = useMutation({
    mutationFn: (action: ShipmentAction) => actOnShipment(writer, shipment.id, action, crypto.randomUUID()),
    onSuccess: (write, action) => {
      setSent({ kind: action.kind, write });
      setOpen(null);
    },
  });
  const allowed = ORDER.filter((kind) => allowedActions(shipment, me).has(kind));
  const form: FormProps = {
    busy: write.isPending,
    onSend: (action) => {
      write.mutate(action);
    },
  };

  return (
    <Stack gap="sm">
      {allowed.length === 0 ? (
        <Text size="sm">Nothing for you to do on this shipment now.</Text>
      ) : (
        <Group gap="sm">
          {allowed.map((kind) => (
            <Button
              key={kind}
              variant={open === kind || AT_ONCE.has(kind) ? 'filled' : 'default'}
              color={kind === 'reject' || kind === 'cancel' ? 'red.9' : undefined}
              loading={write.isPending && write.variables.kind === kind}
              aria-expanded={AT_ONCE.has(kind) ? undefined : open === kind}
              onClick={() => {
                write.reset();
                if (AT_ONCE.has(kind)) write.mutate({ kind } as ShipmentAction);
                else setOpen(open === kind ? null : kind);
              }}
            >
              {LABELS[kind]}
            </Button>
          ))}
        </Group>
      )}
      {open === 'propose' && <ProposeForm me={me} {...form} />}
      {open === 'reject' && <RejectForm {...form} />}
      {open === 'checkpoint' && <CheckpointForm {...form} />}
      {write.isError && (
        <WriteError error={write.error} heading={`Could not ${LABELS[write.variables.kind].toLowerCase()}`} />
      )}
      {sent !== null && (
        <WriteStatus key={sent.write.transaction.tx_id} write={sent.write} label={RUNNING[sent.kind]} />
      )}
    </Stack>
  );
}
