import { ActionIcon, Group, MultiSelect, Paper, Stack, Text, TextInput } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import type { ItemValues, ShipmentErrors } from './shipmentForm';

export interface ItemFieldsProps {
  readonly index: number;
  readonly item: ItemValues;
  readonly errors: ShipmentErrors;
  readonly certificates: readonly { readonly value: string; readonly label: string }[];
  readonly disabled: boolean;
  readonly onChange: (item: ItemValues) => void;
  /** Absent for the only item: a shipment has at least one. */
  readonly onRemove?: () => void;
}

/** One line of the new shipment: what, how much, which lot, and the certificates vouching for it. */
export function ItemFields({
  index,
  item,
  errors,
  certificates,
  disabled,
  onChange,
  onRemove,
}: ItemFieldsProps) {
  const n = String(index + 1);
  const text = (field: keyof Omit<ItemValues, 'certificateIds'>, label: string, required = false) => (
    <TextInput
      label={label}
      aria-label={`${label}, item ${n}`}
      required={required}
      disabled={disabled}
      value={item[field]}
      error={errors[`items.${String(index)}.${field}`]}
      onChange={(event) => {
        onChange({ ...item, [field]: event.currentTarget.value });
      }}
      style={{ flex: '1 1 9rem' }}
    />
  );
  return (
    <Paper withBorder p="sm" component="fieldset" aria-label={`Item ${n}`} m={0}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600} component="legend">
            Item {n}
          </Text>
          {onRemove !== undefined && (
            <ActionIcon
              variant="subtle"
              color="red.9"
              aria-label={`Remove item ${n}`}
              onClick={onRemove}
              disabled={disabled}
            >
              <IconTrash size={18} aria-hidden />
            </ActionIcon>
          )}
        </Group>
        <Group gap="sm" align="flex-start" wrap="wrap">
          {text('sku', 'SKU', true)}
          {text('description', 'Description', true)}
        </Group>
        <Group gap="sm" align="flex-start" wrap="wrap">
          {text('quantity', 'Quantity', true)}
          {text('unit', 'Unit', true)}
          {text('lot', 'Lot')}
          {text('gtin', 'GTIN')}
        </Group>
        <MultiSelect
          label="Certificates"
          aria-label={`Certificates, item ${n}`}
          description="Active certificates your organization can see"
          placeholder={item.certificateIds.length === 0 ? 'Pick certificates' : undefined}
          data={[...certificates]}
          value={[...item.certificateIds]}
          onChange={(ids) => {
            onChange({ ...item, certificateIds: ids });
          }}
          searchable
          disabled={disabled}
        />
      </Stack>
    </Paper>
  );
}
