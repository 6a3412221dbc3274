import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import { CALLBACK_PATH } from '../auth/userManager';
import { AppShellLayout } from '../components/Layout/AppShell';
import { PageLoader } from '../components/PageLoader';
import { NotFoundPage } from '../pages/NotFoundPage';

/** A route whose page loads on demand: the first screen costs only the code it shows. */
function page(path: string, load: () => Promise<ComponentType>): RouteObject {
  return { path, lazy: async () => ({ Component: await load() }) };
}

export const routes: RouteObject[] = [
  {
    element: <AppShellLayout />,
    hydrateFallbackElement: <PageLoader label="Loading Provena…" />,
    children: [
      page('/', async () => (await import('../pages/dashboard/HomeRoute')).HomeRoute),
      page(CALLBACK_PATH, async () => (await import('../pages/AuthCallbackPage')).AuthCallbackPage),
      page('/profile', async () => (await import('../pages/ProfilePage')).ProfilePage),
      page(
        '/certificates',
        async () => (await import('../pages/certificates/CertificatesPage')).CertificatesPage,
      ),
      page(
        '/certificates/new',
        async () => (await import('../pages/certificates/IssueCertificatePage')).IssueCertificatePage,
      ),
      page(
        '/certificates/:id',
        async () => (await import('../pages/certificates/CertificateDetailPage')).CertificateDetailPage,
      ),
      page('/shipments', async () => (await import('../pages/shipments/ShipmentsPage')).ShipmentsPage),
      page(
        '/shipments/new',
        async () => (await import('../pages/shipments/NewShipmentPage')).NewShipmentPage,
      ),
      page('/shipments/:id', async () => (await import('../pages/shipments/ShipmentPage')).ShipmentPage),
      page('/trace', async () => (await import('../pages/trace/TracePage')).TracePage),
      page('/recalls', async () => (await import('../pages/recalls/RecallsPage')).RecallsPage),
      page('/recalls/new', async () => (await import('../pages/recalls/NewRecallPage')).NewRecallPage),
      page('/recalls/:id', async () => (await import('../pages/recalls/RecallPage')).RecallPage),
      page('/documents/:cid', async () => (await import('../pages/documents/DocumentPage')).DocumentPage),
      page('/system', async () => (await import('../pages/SystemPage')).SystemPage),
      page('/verify', async () => (await import('../pages/verify/VerifyPage')).VerifyPage),
      page(
        '/verify/certificates/:id',
        async () => (await import('../pages/verify/CertificateVerificationPage')).CertificateVerificationPage,
      ),
      page(
        '/verify/shipments/:id',
        async () => (await import('../pages/verify/ShipmentVerificationPage')).ShipmentVerificationPage,
      ),
      page('/network', async () => (await import('../pages/network/NetworkPage')).NetworkPage),
      page('/admin', async () => (await import('../pages/admin/AdminPage')).AdminPage),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
