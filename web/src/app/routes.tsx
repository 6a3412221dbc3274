import type { RouteObject } from 'react-router';
import { CALLBACK_PATH } from '../auth/userManager';
import { AppShellLayout } from '../components/Layout/AppShell';
import { AuthCallbackPage } from '../pages/AuthCallbackPage';
import { HomeRoute } from '../pages/dashboard/HomeRoute';
import { NotFoundPage } from '../pages/NotFoundPage';
import { NetworkPage } from '../pages/network/NetworkPage';
import { ProfilePage } from '../pages/ProfilePage';
import { CertificatesPage } from '../pages/certificates/CertificatesPage';
import { CertificateDetailPage } from '../pages/certificates/CertificateDetailPage';
import { IssueCertificatePage } from '../pages/certificates/IssueCertificatePage';
import { ShipmentsPage } from '../pages/shipments/ShipmentsPage';
import { ShipmentPage } from '../pages/shipments/ShipmentPage';
import { NewShipmentPage } from '../pages/shipments/NewShipmentPage';
import { DocumentPage } from '../pages/documents/DocumentPage';
import { SystemPage } from '../pages/SystemPage';
import { CertificateVerificationPage } from '../pages/verify/CertificateVerificationPage';
import { ShipmentVerificationPage } from '../pages/verify/ShipmentVerificationPage';
import { VerifyPage } from '../pages/verify/VerifyPage';

export const routes: RouteObject[] = [
  {
    element: <AppShellLayout />,
    children: [
      { path: '/', element: <HomeRoute /> },
      { path: CALLBACK_PATH, element: <AuthCallbackPage /> },
      { path: '/profile', element: <ProfilePage /> },
      { path: '/certificates', element: <CertificatesPage /> },
      { path: '/certificates/new', element: <IssueCertificatePage /> },
      { path: '/certificates/:id', element: <CertificateDetailPage /> },
      { path: '/shipments', element: <ShipmentsPage /> },
      { path: '/shipments/new', element: <NewShipmentPage /> },
      { path: '/shipments/:id', element: <ShipmentPage /> },
      { path: '/documents/:cid', element: <DocumentPage /> },
      { path: '/system', element: <SystemPage /> },
      { path: '/verify', element: <VerifyPage /> },
      { path: '/verify/certificates/:id', element: <CertificateVerificationPage /> },
      { path: '/verify/shipments/:id', element: <ShipmentVerificationPage /> },
      { path: '/network', element: <NetworkPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
