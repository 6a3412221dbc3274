import { Button, Group, Select, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState, type SyntheticEvent } from 'react';
import { STATUSES, type CertificateFilters as Filters } from './api';
import { statusLabel } from './CertificateStatusBadge';

export interface CertificateFiltersProps {
  readonly value: Filters;
  readonly onChange: (filters: Filters) => void;
}

function clean(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Status, scheme, issuer and free text; text fields apply on submit, the status at once. */
export function CertificateFilters({ value, onChange }: CertificateFiltersProps) {
  const [q, setQ] = useState(value.q ?? '');
  const [scheme, setScheme] = useState(value.scheme ?? '');
  const [issuer, setIssuer] = useState(value.issuer ?? '');

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    onChange({ ...value, q: clean(q), scheme: clean(scheme), issuer: clean(issuer) });
  };

  return (
    <form onSubmit={submit} role="search" aria-label="Filter certificates">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Subject or scope"
          value={q}
          onChange={(event) => {
            setQ(event.currentTarget.value);
          }}
          leftSection={<IconSearch size={16} aria-hidden />}
          style={{ flex: '2 1 14rem' }}
        />
        <Select
          label="Status"
          placeholder="Any"
          clearable
          data={STATUSES.map((status) => ({ value: status, label: statusLabel(status) }))}
          value={value.status ?? null}
          onChange={(status) => {
            onChange({ ...value, status: status ?? undefined });
          }}
          style={{ flex: '1 1 9rem' }}
        />
        <TextInput
          label="Scheme"
          placeholder="e.g. EU-ORGANIC"
          value={scheme}
          onChange={(event) => {
            setScheme(event.currentTarget.value);
          }}
          style={{ flex: '1 1 9rem' }}
        />
        <TextInput
          label="Issuer (MSP)"
          placeholder="e.g. CertifierMSP"
          value={issuer}
          onChange={(event) => {
            setIssuer(event.currentTarget.value);
          }}
          style={{ flex: '1 1 9rem' }}
        />
        <Button type="submit" variant="default">
          Apply
        </Button>
      </Group>
    </form>
  );
}
