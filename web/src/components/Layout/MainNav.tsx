import { NavLink, Stack } from '@mantine/core';
import {
  IconActivityHeartbeat,
  IconAlertOctagon,
  IconBuildingBank,
  IconCertificate,
  IconHome,
  IconRoute,
  IconShieldCheck,
  IconTruckDelivery,
  IconUserCircle,
  type Icon,
} from '@tabler/icons-react';
import { IconTopologyStar3 } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { useAdminAccess } from '../Admin/useAdminAccess';

interface Page {
  readonly to: string;
  readonly label: string;
  readonly icon: Icon;
  readonly signedInOnly?: boolean;
  /** Shown only to the registry's governors and auditors. */
  readonly adminOnly?: boolean;
}

/** The pages that work today, in menu order. */
const PAGES: readonly Page[] = [
  { to: '/', label: 'Home', icon: IconHome },
  { to: '/profile', label: 'Profile', icon: IconUserCircle, signedInOnly: true },
  { to: '/certificates', label: 'Certificates', icon: IconCertificate, signedInOnly: true },
  { to: '/shipments', label: 'Shipments', icon: IconTruckDelivery, signedInOnly: true },
  { to: '/trace', label: 'Trace', icon: IconRoute, signedInOnly: true },
  { to: '/recalls', label: 'Recalls', icon: IconAlertOctagon, signedInOnly: true },
  { to: '/verify', label: 'Verify', icon: IconShieldCheck },
  { to: '/network', label: 'Network', icon: IconTopologyStar3, signedInOnly: true },
  { to: '/admin', label: 'Admin', icon: IconBuildingBank, signedInOnly: true, adminOnly: true },
  { to: '/system', label: 'System', icon: IconActivityHeartbeat },
];

export interface MainNavProps {
  /** Called after a link is followed (closes the menu on small screens). */
  readonly onNavigate?: () => void;
}

export function MainNav({ onNavigate }: MainNavProps) {
  const { pathname } = useLocation();
  const { status } = useAuth();
  const access = useAdminAccess();
  const mayAdminister = typeof access === 'object' && !(access instanceof Error) && access.may_read;
  const shown = (page: Page) =>
    (!page.signedInOnly || status === 'signed-in') && (!page.adminOnly || mayAdminister);
  return (
    <Stack gap={4}>
      {PAGES.filter(shown).map(({ to, label, icon: PageIcon }) => {
        const active = to === '/' ? pathname === '/' : pathname.startsWith(to);
        return (
          <NavLink
            key={to}
            component={Link}
            to={to}
            label={label}
            leftSection={<PageIcon size={20} stroke={1.6} aria-hidden />}
            active={active}
            aria-current={active ? 'page' : undefined}
            onClick={onNavigate}
            variant="light"
          />
        );
      })}
    </Stack>
  );
}
