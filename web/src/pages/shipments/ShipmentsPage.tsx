import { IconTruckDelivery } from '@tabler/icons-react';
import { RecordListPage, type RecordList } from '../../components/Records/RecordListPage';
import {
  fetchShipments,
  shipmentKeys,
  STATUSES,
  type ShipmentFilters,
  type ShipmentSummary,
} from '../../components/Shipments/api';
import { ShipmentList } from '../../components/Shipments/ShipmentList';
import { shipmentStatusLabel } from '../../components/Shipments/ShipmentStatusBadge';

const SHIPMENTS: RecordList<ShipmentSummary, ShipmentFilters> = {
  title: 'Shipments',
  what: 'shipments',
  one: 'shipment',
  describe: (organization) =>
    organization
      ? `Shipments ${organization} owns, holds, held, receives or is offered, newest first.`
      : 'Shipments you may see, newest first.',
  searchPlaceholder: 'Id, origin or destination',
  statuses: STATUSES,
  statusLabel: shipmentStatusLabel,
  fields: [
    { name: 'holder', label: 'Holder (MSP)', placeholder: 'e.g. CarrierMSP' },
    { name: 'destination', label: 'Destination (MSP)', placeholder: 'e.g. RetailerMSP' },
  ],
  queryKey: shipmentKeys.list,
  fetch: fetchShipments,
  rows: (rows) => <ShipmentList shipments={rows} />,
  icon: <IconTruckDelivery size={36} stroke={1.4} aria-hidden />,
  hint: {
    filtered: 'Try another status, holder or search.',
    none: 'Shipments your organization sends, carries or receives will appear here.',
  },
  create: { role: 'producer', to: '/shipments/new', label: 'New shipment' },
};

export function ShipmentsPage() {
  return <RecordListPage list={SHIPMENTS} />;
}
