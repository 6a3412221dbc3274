/** Renders the whole app (real providers, routes and pages) at a path, over the fake network. */
import { QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { retryTransient } from '../api/queries';
import { AppProviders } from '../app/AppProviders';
import { routes } from '../app/routes';

export function createTestQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: retryTransient, retryDelay: 0, gcTime: Infinity } },
  });
}

export function renderApp(path: string): RenderResult & { router: ReturnType<typeof createMemoryRouter> } {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const result = render(
    <AppProviders queryClient={createTestQueryClient()} env="test">
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...result, router };
}
