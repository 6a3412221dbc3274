import { Card, Text, ThemeIcon, Title } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';

export interface FeatureCardProps {
  readonly icon: Icon;
  readonly title: string;
  readonly children: string;
}

export function FeatureCard({ icon: FeatureIcon, title, children }: FeatureCardProps) {
  return (
    <Card withBorder padding="lg" component="article">
      <ThemeIcon size={40} radius="md" variant="light" mb="md">
        <FeatureIcon size={22} aria-hidden />
      </ThemeIcon>
      <Title order={3} size="h4" mb={6}>
        {title}
      </Title>
      <Text size="sm" c="dimmed">
        {children}
      </Text>
    </Card>
  );
}
