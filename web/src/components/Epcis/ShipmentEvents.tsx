import { Button } from '@mantine/core';
import { IconFileCode } from '@tabler/icons-react';
import { useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { epcisKeys, fetchShipmentEvents } from './api';
import { EpcisDocumentModal } from './EpcisDocumentModal';

/** "EPCIS events": the shipment's events as an EPCISQueryDocument, to read and download. */
export function ShipmentEvents({ id }: { readonly id: string }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconFileCode size={16} aria-hidden />}
        onClick={() => {
          setOpen(true);
        }}
      >
        EPCIS events
      </Button>
      <EpcisDocumentModal
        opened={open}
        onClose={() => {
          setOpen(false);
        }}
        title={`EPCIS events of ${id}`}
        queryKey={epcisKeys.shipment(id)}
        load={() => fetchShipmentEvents(api, id)}
        fileName={`${id}.epcis.jsonld`}
      />
    </>
  );
}
