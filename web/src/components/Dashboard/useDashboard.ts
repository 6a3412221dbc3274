/** The counts the dashboard shows, each one query the feed keeps fresh. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext';
import { retryTransient } from '../../api/queries';
import { useFeedEvents } from '../../live/LiveContext';
import { fetchCertificates } from '../Certificates/api';
import { fetchNetwork } from '../Network/networkApi';
import { fetchShipments } from '../Shipments/api';
import { liveKeys } from '../../live/invalidation';

/** Enough rows for a count that fits in one answer; more than that shows as "50+". */
export const COUNT_LIMIT = 50;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The certificates' cut-off, at the start of the hour so the query key stays put. */
export function expiringBefore(now: Date, days = 30): string {
  const cutoff = new Date(now.getTime() + days * DAY_MS);
  cutoff.setUTCMinutes(0, 0, 0);
  return cutoff.toISOString();
}

const NETWORK_KEY = ['network', 1] as const;

/**
 * Keys for one page of a list (counts, pickers): the list screens' keys hold infinite
 * queries (pages), and sharing a key would hand one shape to the other. Under the live
 * roots, the feed still refreshes them.
 */
export const onePageKeys = {
  shipments: (filters: object) => [...liveKeys.shipments, 'page', filters] as const,
  certificates: (filters: object) => [...liveKeys.certificates, 'page', filters] as const,
};

export function useDashboard(msp: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  // Every committed block raises the height; the feed says when one did.
  useFeedEvents((event) => {
    if (event.block_number !== null) void queryClient.invalidateQueries({ queryKey: NETWORK_KEY });
  });
  const offered = useQuery({
    queryKey: onePageKeys.shipments({ offered_to: msp }),
    queryFn: () => fetchShipments(api, { offered_to: msp }, null, COUNT_LIMIT),
    select: (page) => page.data,
    retry: retryTransient,
  });
  const held = useQuery({
    queryKey: onePageKeys.shipments({ holder: msp }),
    queryFn: () => fetchShipments(api, { holder: msp }, null, COUNT_LIMIT),
    select: (page) => page.data.filter((s) => s.status !== 'DELIVERED'),
    retry: retryTransient,
  });
  const cutoff = expiringBefore(new Date());
  const expiring = useQuery({
    queryKey: onePageKeys.certificates({ status: 'ACTIVE', expiring_before: cutoff }),
    queryFn: () => fetchCertificates(api, { status: 'ACTIVE', expiring_before: cutoff }, null),
    select: (page) => page.data,
    retry: retryTransient,
  });
  const network = useQuery({
    queryKey: NETWORK_KEY,
    queryFn: () => fetchNetwork(api, 1),
    retry: retryTransient,
  });
  return { offered, held, expiring, network };
}
