import { Badge, Group, Stack, Text } from '@mantine/core';
import { formatMoment } from '../Certificates/format';
import { ResponsiveList, type Column } from '../ResponsiveList';
import { MUTED } from '../Transaction/colors';
import type { Person } from './adminApi';

/** A person's newest ledger identity in words: where the key is, and whether it still signs. */
export function identitySummary(person: Person): { readonly label: string; readonly color: string } {
  const [newest] = person.ledger_identities;
  if (newest === undefined) return { label: 'No ledger identity yet', color: 'gray.7' };
  if (newest.revoked_at !== null) return { label: 'Identity revoked', color: 'red.9' };
  return newest.custody === 'browser'
    ? { label: 'Key in their browser', color: 'blue.9' }
    : { label: 'Key sealed on the server', color: 'teal.9' };
}

function Identity({ person }: { readonly person: Person }) {
  const summary = identitySummary(person);
  const [newest] = person.ledger_identities;
  return (
    <Stack gap={2}>
      <Badge color={summary.color}>{summary.label}</Badge>
      {newest !== undefined && (
        <Text size="xs" c={MUTED} style={{ overflowWrap: 'anywhere' }}>
          {newest.enrollment_id} · {newest.msp_id} · {newest.role}
          {person.ledger_identities.length > 1 && ` · ${String(person.ledger_identities.length - 1)} earlier`}
        </Text>
      )}
    </Stack>
  );
}

function Who({ person }: { readonly person: Person }) {
  return (
    <>
      <Text size="sm" fw={600}>
        {person.display_name ?? person.subject}
      </Text>
      <Text size="xs" c={MUTED} style={{ overflowWrap: 'anywhere' }}>
        {person.email ?? 'no email'}
      </Text>
    </>
  );
}

const organization = (person: Person) => person.organization_name ?? person.msp_id ?? 'No organization';
const roles = (person: Person) => person.roles.join(', ') || 'no role';

const COLUMNS: readonly Column<Person>[] = [
  { header: 'Person', cell: (person) => <Who person={person} /> },
  { header: 'Organization', cell: organization },
  { header: 'Roles', cell: roles },
  { header: 'Ledger identity', cell: (person) => <Identity person={person} /> },
  { header: 'Last seen', cell: (person) => formatMoment(person.last_seen_at) },
];

function PersonCard({ person }: { readonly person: Person }) {
  return (
    <>
      <Who person={person} />
      <Text size="sm" mt={4}>
        {organization(person)} · {roles(person)}
      </Text>
      <Group mt="xs">
        <Identity person={person} />
      </Group>
      <Text size="xs" c={MUTED} mt={4}>
        last seen {formatMoment(person.last_seen_at)}
      </Text>
    </>
  );
}

/** Everyone the API has seen, with their ledger identity: a table, or cards on a phone. */
export function PeopleList({ people }: { readonly people: readonly Person[] }) {
  if (people.length === 0) return <Text size="sm">Nobody has signed in yet.</Text>;
  return (
    <ResponsiveList
      label="People"
      items={people}
      keyOf={(person) => person.subject}
      nameOf={(person) => person.display_name ?? person.subject}
      columns={COLUMNS}
      card={(person) => <PersonCard person={person} />}
      minWidth={760}
    />
  );
}
