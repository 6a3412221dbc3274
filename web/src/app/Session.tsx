import { useMemo, type ReactNode } from 'react';
import { ApiProvider } from '../api/ApiProvider';
import { AuthProvider } from '../auth/AuthProvider';
import { createUserManager } from '../auth/userManager';
import { useAppConfig } from './ConfigContext';

/** Sign-in and the API client, set up from the loaded configuration. */
export function Session({ children }: { readonly children: ReactNode }) {
  const { oidc } = useAppConfig();
  const userManager = useMemo(() => createUserManager(oidc), [oidc]);
  return (
    <AuthProvider userManager={userManager}>
      <ApiProvider>{children}</ApiProvider>
    </AuthProvider>
  );
}
