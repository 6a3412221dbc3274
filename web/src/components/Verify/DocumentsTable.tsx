import { Anchor, Code, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatBytes } from './format';
import type { DocumentView } from './verifyApi';

/** The documents a record anchors, by content id and hash; each opens in the viewer. */
export function DocumentsTable({ documents }: { readonly documents: readonly DocumentView[] }) {
  if (documents.length === 0) return <Text c="dimmed">No documents are anchored.</Text>;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs" aria-label="Documents">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Type and size</Table.Th>
            <Table.Th>CID and SHA-256</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {documents.map((document) => (
            <Table.Tr key={document.cid}>
              <Table.Td>
                <Anchor component={Link} to={`/documents/${document.cid}`}>
                  {document.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{document.media_type}</Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(document.size)}
                </Text>
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                <Code block={false}>{document.cid}</Code>
                <Text size="xs" c="dimmed" ff="monospace">
                  {document.sha256}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
