import { Card, Code, DataList, Text, Title } from '@mantine/core';
import type { Organization } from '../../api/types';
import { organizationKindLabel } from './roles';

/** The organization (Fabric MSP) a person acts for, if any. */
export function OrganizationCard({ organization }: { readonly organization: Organization | null }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="organization-heading">
      <Title order={2} size="h4" id="organization-heading" mb="md">
        Organization
      </Title>
      {organization === null ? (
        <Text c="dimmed" size="sm">
          No organization: your sign-in does not name one Provena knows.
        </Text>
      ) : (
        <DataList orientation="vertical" gap="md">
          <DataList.Item>
            <DataList.ItemLabel>Name</DataList.ItemLabel>
            <DataList.ItemValue>{organization.name}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>MSP ID</DataList.ItemLabel>
            <DataList.ItemValue>
              <Code>{organization.msp_id}</Code>
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Kind</DataList.ItemLabel>
            <DataList.ItemValue>{organizationKindLabel(organization.kind)}</DataList.ItemValue>
          </DataList.Item>
        </DataList>
      )}
    </Card>
  );
}
