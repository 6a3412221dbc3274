import { createContext, useContext, useEffect, useRef } from 'react';
import type { FeedEvent, FeedState } from './feed';

export type FeedListener = (event: FeedEvent) => void;

export interface Live {
  readonly state: FeedState;
  /** Adds a listener for every feed event; returns its removal. */
  readonly subscribe: (listener: FeedListener) => () => void;
}

export const LiveContext = createContext<Live | null>(null);

/** The shared live feed of the signed-in session. */
export function useLive(): Live {
  const live = useContext(LiveContext);
  if (live === null) throw new Error('useLive() needs a <LiveProvider> above it');
  return live;
}

/** Calls `listener` (its latest version) for every feed event while mounted. */
export function useFeedEvents(listener: FeedListener): void {
  const { subscribe } = useLive();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(
    () =>
      subscribe((event) => {
        latest.current(event);
      }),
    [subscribe],
  );
}
