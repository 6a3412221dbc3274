import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useAuth } from '../auth/AuthContext';
import { connectFeed, type FeedState } from './feed';
import { applyFeedEvent } from './invalidation';
import { LiveContext, type FeedListener, type Live } from './LiveContext';

export interface LiveProviderProps {
  readonly children: ReactNode;
  /** The EventSource constructor; the global one by default. */
  readonly EventSource?: typeof EventSource;
}

/**
 * One feed connection while someone is signed in, shared by every screen: events
 * refresh the query cache and reach whoever subscribed.
 */
export function LiveProvider({ children, EventSource }: LiveProviderProps) {
  const { status, user, getAccessToken } = useAuth();
  const queryClient = useQueryClient();
  const listeners = useRef(new Set<FeedListener>());
  const [state, setState] = useState<FeedState>('closed');
  const subject = status === 'signed-in' ? (user?.profile.sub ?? null) : null;

  useEffect(() => {
    // Without EventSource (jsdom, very old browsers) writes still settle by polling.
    const Source = EventSource ?? globalThis.EventSource;
    if (subject === null || typeof Source !== 'function') return undefined;
    const connection = connectFeed({
      baseUrl: window.location.origin,
      getAccessToken,
      EventSource: Source,
      onState: setState,
      onEvent(event) {
        applyFeedEvent(queryClient, event);
        for (const listener of listeners.current) listener(event);
      },
    });
    return () => {
      connection.close();
    };
  }, [subject, getAccessToken, queryClient, EventSource]);

  const subscribe = useCallback((listener: FeedListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const live = useMemo<Live>(() => ({ state, subscribe }), [state, subscribe]);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}
