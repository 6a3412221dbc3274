/**
 * Which writes a person may start on a shipment, mirroring the contract's rules so the
 * page offers only what the ledger would accept (the contract still decides).
 */
import type { Me } from '../../api/types';
import type { ShipmentSummary } from './api';

export type ActionKind = 'propose' | 'accept' | 'reject' | 'cancel' | 'checkpoint' | 'deliver';

const CUSTODY_ROLES: readonly string[] = ['producer', 'carrier', 'receiver'];

export function allowedActions(shipment: ShipmentSummary, me: Me): ReadonlySet<ActionKind> {
  const msp = me.organization?.msp_id;
  const actions = new Set<ActionKind>();
  if (msp === undefined || !me.roles.some((role) => CUSTODY_ROLES.includes(role))) return actions;
  if (shipment.status === 'DELIVERED') return actions;
  if (shipment.pending_transfer_to_msp_id === msp) {
    actions.add('accept');
    actions.add('reject');
  }
  if (shipment.custodian_msp_id !== msp) return actions;
  actions.add('checkpoint');
  if (shipment.pending_transfer_to_msp_id !== null) {
    actions.add('cancel');
  } else {
    actions.add('propose');
  }
  if (
    shipment.status === 'IN_TRANSIT' &&
    shipment.destination_msp_id === msp &&
    me.roles.includes('receiver')
  ) {
    actions.add('deliver');
  }
  return actions;
}
