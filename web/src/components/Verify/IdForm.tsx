import { Button, Group, SegmentedControl, TextInput } from '@mantine/core';
import { useState, type SubmitEvent } from 'react';
import { useNavigate } from 'react-router';

type Kind = 'certificates' | 'shipments';

/** Verify a record by its id: the certificate or shipment number printed on paper. */
export function IdForm() {
  const navigate = useNavigate();
  const [kind, setKind] = useState<Kind>('certificates');
  const [id, setId] = useState('');
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = id.trim();
    if (trimmed !== '') void navigate(`/verify/${kind}/${encodeURIComponent(trimmed)}`);
  };
  return (
    <form onSubmit={submit} aria-label="Verify by id">
      <Group align="end" gap="sm">
        <SegmentedControl
          aria-label="Kind of record"
          value={kind}
          onChange={setKind}
          data={[
            { value: 'certificates', label: 'Certificate' },
            { value: 'shipments', label: 'Shipment' },
          ]}
        />
        <TextInput
          label={kind === 'certificates' ? 'Certificate id' : 'Shipment id'}
          value={id}
          onChange={(event) => {
            setId(event.currentTarget.value);
          }}
          required
          style={{ flex: 1, minWidth: 200 }}
        />
        <Button type="submit">Verify</Button>
      </Group>
    </form>
  );
}
