import { Button, Group, Select, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState, type SyntheticEvent } from 'react';

/** A list's filters as the API's query takes them: text fields and a status. */
export type Filters = Readonly<Partial<Record<string, string>>>;

/** One text filter beside the search: its query name, label and example. */
export interface FilterField {
  readonly name: string;
  readonly label: string;
  readonly placeholder: string;
}

export interface RecordFiltersProps {
  /** What is listed, in the plural ("certificates"): names the search form. */
  readonly what: string;
  readonly searchPlaceholder: string;
  readonly statuses: readonly { readonly value: string; readonly label: string }[];
  readonly fields: readonly FilterField[];
  readonly value: Filters;
  readonly onChange: (filters: Filters) => void;
}

function clean(text: string | undefined): string | undefined {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? undefined : trimmed;
}

/** Free text, a status and the list's own text fields; text applies on submit, the status at once. */
export function RecordFilters({
  what,
  searchPlaceholder,
  statuses,
  fields,
  value,
  onChange,
}: RecordFiltersProps) {
  const names = ['q', ...fields.map((field) => field.name)];
  const [text, setText] = useState<Record<string, string>>(() =>
    Object.fromEntries(names.map((name) => [name, value[name] ?? ''])),
  );
  const edit = (name: string) => (event: { currentTarget: HTMLInputElement }) => {
    const entered = event.currentTarget.value;
    setText((current) => ({ ...current, [name]: entered }));
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    onChange({ ...value, ...Object.fromEntries(names.map((name) => [name, clean(text[name])])) });
  };

  return (
    <form onSubmit={submit} role="search" aria-label={`Filter ${what}`}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label="Search"
          placeholder={searchPlaceholder}
          value={text['q'] ?? ''}
          onChange={edit('q')}
          leftSection={<IconSearch size={16} aria-hidden />}
          style={{ flex: '2 1 14rem' }}
        />
        <Select
          label="Status"
          placeholder="Any"
          clearable
          data={statuses}
          value={value['status'] ?? null}
          onChange={(status) => {
            onChange({ ...value, status: status ?? undefined });
          }}
          style={{ flex: '1 1 9rem' }}
        />
        {fields.map((field) => (
          <TextInput
            key={field.name}
            label={field.label}
            placeholder={field.placeholder}
            value={text[field.name] ?? ''}
            onChange={edit(field.name)}
            style={{ flex: '1 1 9rem' }}
          />
        ))}
        <Button type="submit" variant="default">
          Apply
        </Button>
      </Group>
    </form>
  );
}
