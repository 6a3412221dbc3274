import { Badge, Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { formatDay } from '../Certificates/format';
import { MUTED } from '../Transaction/colors';
import type { Accreditation, SchemeAccreditation } from './adminApi';

export interface AccreditationListProps {
  readonly accreditations: readonly Accreditation[];
  /** Offered to the registry's governors: withdraw one scheme (asks to confirm first). */
  readonly onWithdraw?: (mspId: string, scheme: string) => void;
}

function StateBadge({ scheme }: { readonly scheme: SchemeAccreditation }) {
  return scheme.withdrawn_at === null ? (
    <Badge color="teal.9">Accredited</Badge>
  ) : (
    <Badge color="gray.7">Withdrawn</Badge>
  );
}

function When({ scheme }: { readonly scheme: SchemeAccreditation }) {
  return (
    <Text size="sm">
      since {formatDay(scheme.since)}
      {scheme.withdrawn_at !== null && `, withdrawn ${formatDay(scheme.withdrawn_at)}`}
    </Text>
  );
}

function Withdraw({
  accreditation,
  scheme,
  onWithdraw,
}: {
  readonly accreditation: Accreditation;
  readonly scheme: SchemeAccreditation;
  readonly onWithdraw?: AccreditationListProps['onWithdraw'];
}) {
  if (onWithdraw === undefined || scheme.withdrawn_at !== null) return null;
  return (
    <Button
      size="xs"
      variant="outline"
      color="red.9"
      style={{ flexShrink: 0 }}
      aria-label={`Withdraw ${scheme.scheme} from ${accreditation.msp_id}`}
      onClick={() => {
        onWithdraw(accreditation.msp_id, scheme.scheme);
      }}
    >
      Withdraw
    </Button>
  );
}

function Body({ accreditation }: { readonly accreditation: Accreditation }) {
  return (
    <>
      <Text size="sm" fw={600}>
        {accreditation.organization_name ?? accreditation.msp_id}
      </Text>
      <Text size="xs" c={MUTED} ff="monospace">
        {accreditation.msp_id}
      </Text>
    </>
  );
}

/**
 * Each certification body's schemes, accredited ones first, withdrawn ones marked: a table
 * on wide screens, a card per body on a phone.
 */
export function AccreditationList({ accreditations, onWithdraw }: AccreditationListProps) {
  if (accreditations.length === 0) {
    return <Text size="sm">No certification body has been accredited yet.</Text>;
  }
  return (
    <>
      <Table.ScrollContainer minWidth={640} visibleFrom="sm">
        <Table striped aria-label="Accreditations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Certification body</Table.Th>
              <Table.Th>Scheme</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>When</Table.Th>
              {onWithdraw !== undefined && <Table.Th>Action</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {accreditations.flatMap((accreditation) =>
              accreditation.schemes.map((scheme) => (
                <Table.Tr key={`${accreditation.msp_id}/${scheme.scheme}`}>
                  <Table.Td>
                    <Body accreditation={accreditation} />
                  </Table.Td>
                  <Table.Td>{scheme.scheme}</Table.Td>
                  <Table.Td>
                    <StateBadge scheme={scheme} />
                  </Table.Td>
                  <Table.Td>
                    <When scheme={scheme} />
                  </Table.Td>
                  {onWithdraw !== undefined && (
                    <Table.Td>
                      <Withdraw accreditation={accreditation} scheme={scheme} onWithdraw={onWithdraw} />
                    </Table.Td>
                  )}
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack
        gap="sm"
        hiddenFrom="sm"
        component="ul"
        aria-label="Accreditations"
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
      >
        {accreditations.map((accreditation) => (
          <Card key={accreditation.msp_id} component="li" withBorder padding="sm">
            <Body accreditation={accreditation} />
            <Stack gap="xs" mt="xs">
              {accreditation.schemes.map((scheme) => (
                <Group key={scheme.scheme} justify="space-between" gap="xs" wrap="nowrap">
                  <Stack gap={0} miw={0}>
                    <Group gap="xs">
                      <Text size="sm" fw={600}>
                        {scheme.scheme}
                      </Text>
                      <StateBadge scheme={scheme} />
                    </Group>
                    <When scheme={scheme} />
                  </Stack>
                  <Withdraw accreditation={accreditation} scheme={scheme} onWithdraw={onWithdraw} />
                </Group>
              ))}
            </Stack>
          </Card>
        ))}
      </Stack>
    </>
  );
}
