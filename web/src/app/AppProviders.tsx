import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';

import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ConfigGate } from './ConfigGate';
import { Session } from './Session';
import { cssVariablesResolver, theme } from './theme';

export interface AppProvidersProps {
  readonly queryClient: QueryClient;
  readonly children: ReactNode;
  /** Mantine's "test" environment turns off transitions and portals (for jsdom). */
  readonly env?: 'default' | 'test';
}

/** Everything a page needs around it: theme, cache, configuration, sign-in, API client. */
export function AppProviders({ queryClient, children, env = 'default' }: AppProvidersProps) {
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      defaultColorScheme="auto"
      env={env}
    >
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <ConfigGate>
          <Session>{children}</Session>
        </ConfigGate>
      </QueryClientProvider>
    </MantineProvider>
  );
}
