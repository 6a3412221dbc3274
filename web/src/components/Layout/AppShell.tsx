import { AppShell, Burger, Container, Group, Loader } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { RecallNotices } from '../Recalls/RecallNotices';
import { SessionEndedAlert } from '../SessionEndedAlert';
import { SignInButton } from '../SignInButton';
import { Brand } from './Brand';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { MainNav } from './MainNav';
import { UserMenu } from './UserMenu';

/** The frame of every page: header with the account, navigation (a burger on phones), content. */
export function AppShellLayout() {
  const [navOpen, nav] = useDisclosure(false);
  const { status } = useAuth();

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding={{ base: 'md', sm: 'lg' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpen}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={navOpen ? 'Close navigation' : 'Open navigation'}
              aria-expanded={navOpen}
              aria-controls="main-navigation"
            />
            <Brand />
          </Group>
          <Group gap="xs" wrap="nowrap">
            <ColorSchemeToggle />
            {status === 'signed-in' && <UserMenu />}
            {status === 'signed-out' && <SignInButton />}
            {status === 'loading' && <Loader size="sm" role="status" aria-label="Checking sign-in" />}
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar id="main-navigation" p="sm" aria-label="Main">
        <MainNav onNavigate={nav.close} />
      </AppShell.Navbar>

      <AppShell.Main>
        <Container size="lg" px={0}>
          <SessionEndedAlert />
          <RecallNotices />
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
