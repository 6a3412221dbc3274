import { useMemo, type ReactNode } from 'react';
import { ApiProvider } from '../api/ApiProvider';
import { AuthProvider } from '../auth/AuthProvider';
import { createUserManager } from '../auth/userManager';
import { LiveProvider } from '../live/LiveProvider';
import { useAppConfig } from './ConfigContext';

/** Sign-in, the API client and the live feed, set up from the loaded configuration. */
export function Session({ children }: { readonly children: ReactNode }) {
  const { oidc } = useAppConfig();
  const userManager = useMemo(() => createUserManager(oidc), [oidc]);
  return (
    <AuthProvider userManager={userManager}>
      <ApiProvider>
        <LiveProvider>{children}</LiveProvider>
      </ApiProvider>
    </AuthProvider>
  );
}
