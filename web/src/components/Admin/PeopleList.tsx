import { Badge, Card, Group, Stack, Table, Text } from '@mantine/core';
import { formatMoment } from '../Certificates/format';
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

/** Everyone the API has seen, with their ledger identity: a table, or cards on a phone. */
export function PeopleList({ people }: { readonly people: readonly Person[] }) {
  if (people.length === 0) return <Text size="sm">Nobody has signed in yet.</Text>;
  return (
    <>
      <Table.ScrollContainer minWidth={760} visibleFrom="sm">
        <Table striped aria-label="People">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Person</Table.Th>
              <Table.Th>Organization</Table.Th>
              <Table.Th>Roles</Table.Th>
              <Table.Th>Ledger identity</Table.Th>
              <Table.Th>Last seen</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {people.map((person) => (
              <Table.Tr key={person.subject}>
                <Table.Td>
                  <Who person={person} />
                </Table.Td>
                <Table.Td>{organization(person)}</Table.Td>
                <Table.Td>{roles(person)}</Table.Td>
                <Table.Td>
                  <Identity person={person} />
                </Table.Td>
                <Table.Td>{formatMoment(person.last_seen_at)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack
        gap="sm"
        hiddenFrom="sm"
        component="ul"
        aria-label="People"
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
      >
        {people.map((person) => (
          <Card key={person.subject} component="li" withBorder padding="sm">
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
          </Card>
        ))}
      </Stack>
    </>
  );
}
