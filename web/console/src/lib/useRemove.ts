import { useCallback } from 'react';
import { App } from 'antd';
import { api } from '../api/client';
import { useApiError } from './errors';

/**
 * Returns remove(path, done, then): it DELETEs path, shows done as a success
 * message and calls then (reload the list, drop the row, leave the page);
 * an error is shown instead and then is not called.
 */
export function useRemove() {
  const { message } = App.useApp();
  const showError = useApiError();
  return useCallback(
    async (path: string, done: string, then: () => unknown) => {
      try {
        await api.del(path);
        message.success(done);
        void then();
      } catch (err) {
        showError(err);
      }
    },
    [message, showError],
  );
}
