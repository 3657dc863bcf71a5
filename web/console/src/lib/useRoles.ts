import type { Role } from '../api/types';
import { useApiList } from './useApiList';

/** Loads GET /roles; errors go to onError. */
export function useRoles(onError: (err: unknown) => void, enabled = true) {
  const { items: roles, setItems: setRoles, loading, reload } = useApiList<Role>('/roles', onError, enabled);
  return { roles, loading, reload, setRoles };
}
