import { Button, Group, Select, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState, type SyntheticEvent } from 'react';
import { STATUSES, type ShipmentFilters as Filters } from './api';
import { shipmentStatusLabel } from './ShipmentStatusBadge';

export interface ShipmentFiltersProps {
  readonly value: Filters;
  readonly onChange: (filters: Filters) => void;
}

function clean(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Status, holder, destination and free text; text fields apply on submit, the status at once. */
export function ShipmentFilters({ value, onChange }: ShipmentFiltersProps) {
  const [q, setQ] = useState(value.q ?? '');
  const [holder, setHolder] = useState(value.holder ?? '');
  const [destination, setDestination] = useState(value.destination ?? '');

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    onChange({ ...value, q: clean(q), holder: clean(holder), destination: clean(destination) });
  };

  return (
    <form onSubmit={submit} role="search" aria-label="Filter shipments">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Id, origin or destination"
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
          data={STATUSES.map((status) => ({ value: status, label: shipmentStatusLabel(status) }))}
          value={value.status ?? null}
          onChange={(status) => {
            onChange({ ...value, status: status ?? undefined });
          }}
          style={{ flex: '1 1 9rem' }}
        />
        <TextInput
          label="Holder (MSP)"
          placeholder="e.g. CarrierMSP"
          value={holder}
          onChange={(event) => {
            setHolder(event.currentTarget.value);
          }}
          style={{ flex: '1 1 9rem' }}
        />
        <TextInput
          label="Destination (MSP)"
          placeholder="e.g. RetailerMSP"
          value={destination}
          onChange={(event) => {
            setDestination(event.currentTarget.value);
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
