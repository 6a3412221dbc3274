import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext';
import { retryTransient, useMe } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { adminKeys, fetchAccess, type AdminAccess } from './adminApi';

const NONE: AdminAccess = { governance_msps: [], governs: false, may_read: false };

/**
 * What the signed-in person may do in administration: 'checking' until known, or the error
 * that kept it from being known. Only admins and auditors are asked about (an admin governs
 * only for a governing organization); nobody else may.
 */
export function useAdminAccess(): AdminAccess | 'checking' | Error {
  const api = useApi();
  const { status, user } = useAuth();
  const me = useMe();
  const candidate = me.data?.roles.some((role) => role === 'admin' || role === 'auditor') ?? false;
  const access = useQuery({
    queryKey: adminKeys.access(user?.profile.sub ?? null),
    queryFn: () => fetchAccess(api),
    enabled: status === 'signed-in' && candidate,
    staleTime: 60_000,
    retry: retryTransient,
  });
  if (me.isError) return me.error;
  if (me.data === undefined) return 'checking';
  if (!candidate) return NONE;
  if (access.isError) return access.error;
  return access.data ?? 'checking';
}
