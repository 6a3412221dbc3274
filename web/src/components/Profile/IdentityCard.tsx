import { Card, Code, DataList, Text, Title } from '@mantine/core';
import type { Me } from '../../api/types';

/** Who the API says the person is. */
export function IdentityCard({ me }: { readonly me: Me }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="identity-heading">
      <Title order={2} size="h4" id="identity-heading" mb="md">
        Identity
      </Title>
      <DataList orientation="vertical" gap="md">
        <DataList.Item>
          <DataList.ItemLabel>Name</DataList.ItemLabel>
          <DataList.ItemValue>
            {me.display_name ?? (
              <Text c="dimmed" span>
                Not given
              </Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Email</DataList.ItemLabel>
          <DataList.ItemValue>
            {me.email ?? (
              <Text c="dimmed" span>
                Not given
              </Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Subject</DataList.ItemLabel>
          <DataList.ItemValue>
            <Code style={{ wordBreak: 'break-all' }}>{me.subject}</Code>
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
    </Card>
  );
}
