import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ShipmentDetail } from './api';
import { certificatePath } from '../Certificates/CertificateList';
import { LINK, MUTED } from '../Transaction/colors';

/** The shipment's lines, each with the certificates that vouch for it. */
export function ItemsTable({ items }: { readonly items: ShipmentDetail['items'] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs" aria-label="Items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Item</Table.Th>
            <Table.Th>Quantity</Table.Th>
            <Table.Th>Lot</Table.Th>
            <Table.Th>Certificates</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={`${item.sku}/${item.lot ?? ''}`}>
              <Table.Td>
                <Text size="sm">{item.description}</Text>
                <Text size="xs" c={MUTED}>
                  {item.sku}
                  {item.gtin !== null && ` · GTIN ${item.gtin}`}
                </Text>
              </Table.Td>
              <Table.Td>
                {item.quantity} {item.unit}
              </Table.Td>
              <Table.Td>{item.lot ?? '—'}</Table.Td>
              <Table.Td>
                {item.certificate_ids.length === 0
                  ? '—'
                  : item.certificate_ids.map((id) => (
                      <Anchor
                        key={id}
                        c={LINK}
                        component={Link}
                        to={certificatePath(id)}
                        size="sm"
                        display="block"
                      >
                        {id}
                      </Anchor>
                    ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
