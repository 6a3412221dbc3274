import { Badge, Group, Table, Text } from '@mantine/core';
import type { NetworkView } from './networkApi';

export type Organization = NetworkView['organizations'][number];

export interface OrganizationsTableProps {
  readonly organizations: readonly Organization[];
  /** MSP ids of the organizations that govern the registry, marked as such. */
  readonly governing?: readonly string[];
}

/** The network's organizations: name, MSP id and the part each plays. */
export function OrganizationsTable({ organizations, governing = [] }: OrganizationsTableProps) {
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table aria-label="Organizations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>MSP id</Table.Th>
            <Table.Th>Kind</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {organizations.map((org) => (
            <Table.Tr key={org.msp_id}>
              <Table.Td>{org.name}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {org.msp_id}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Badge variant="light" color="gray">
                    {org.kind.replaceAll('_', ' ')}
                  </Badge>
                  {governing.includes(org.msp_id) && (
                    <Badge variant="light" color="teal">
                      governs the registry
                    </Badge>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
