import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { signInFailure } from '../auth/explain';
import { PageLoader } from '../components/PageLoader';
import { SignInButton } from '../components/SignInButton';
import { usePageTitle } from '../hooks/usePageTitle';

/** Where the identity provider sends people back: finish signing in, then go on. */
export function AuthCallbackPage() {
  usePageTitle('Signing in');
  const { completeSignIn } = useAuth();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    completeSignIn().then(
      (returnTo) => {
        if (active) void navigate(returnTo, { replace: true });
      },
      (error: unknown) => {
        if (active) setFailure(signInFailure(error));
      },
    );
    return () => {
      active = false;
    };
  }, [completeSignIn, navigate]);

  if (failure === null) return <PageLoader label="Completing sign-in…" />;
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      icon={<IconAlertTriangle aria-hidden />}
      title="Sign-in did not complete"
    >
      <Stack gap="sm">
        <Text size="sm">{failure}</Text>
        <Group gap="sm">
          <SignInButton label="Try signing in again" returnTo="/" size="xs" />
          <Button component={Link} to="/" replace size="xs" variant="default">
            Go home
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
