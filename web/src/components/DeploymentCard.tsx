import { Badge, Card, Code, DataList, Title } from '@mantine/core';
import type { AppConfig } from '../api/types';

/** What is deployed: the API's version and configuration profile. */
export function DeploymentCard({ config }: { readonly config: AppConfig }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="deployment-heading">
      <Title order={2} size="h4" id="deployment-heading" mb="md">
        Deployment
      </Title>
      <DataList orientation="horizontal" gap="sm" labelWidth={140}>
        <DataList.Item>
          <DataList.ItemLabel>Version</DataList.ItemLabel>
          <DataList.ItemValue>
            <Code>{config.version}</Code>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Profile</DataList.ItemLabel>
          <DataList.ItemValue>
            <Badge variant="light" color={config.profile === 'production' ? 'teal' : 'yellow'} tt="none">
              {config.profile}
            </Badge>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Identity provider</DataList.ItemLabel>
          <DataList.ItemValue>
            <Code style={{ wordBreak: 'break-all' }}>{config.oidc.authority}</Code>
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
    </Card>
  );
}
