import { Button, type ButtonProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLogin2 } from '@tabler/icons-react';
import { useState } from 'react';
import { useLocation } from 'react-router';
import { describeError } from '../api/errors';
import { useAuth } from '../auth/AuthContext';

export interface SignInButtonProps extends Omit<ButtonProps, 'children' | 'loading'> {
  /** The visible label; "Sign in" by default. */
  readonly label?: string;
  /** Where to land after signing in; the current page by default. */
  readonly returnTo?: string;
}

/** Starts sign-in at the organization's identity provider. */
export function SignInButton({ label = 'Sign in', returnTo, ...props }: SignInButtonProps) {
  const { signIn } = useAuth();
  const location = useLocation();
  const [pending, setPending] = useState(false);

  async function start(): Promise<void> {
    setPending(true);
    try {
      await signIn(returnTo ?? `${location.pathname}${location.search}${location.hash}`);
    } catch (error) {
      setPending(false);
      notifications.show({
        color: 'red',
        title: 'Sign-in could not start',
        message: `The identity provider did not answer: ${describeError(error).message}`,
      });
    }
  }

  return (
    <Button
      leftSection={<IconLogin2 size={18} aria-hidden />}
      {...props}
      loading={pending}
      onClick={() => void start()}
    >
      {label}
    </Button>
  );
}
