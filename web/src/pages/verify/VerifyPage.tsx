import { Stack, Text, Title } from '@mantine/core';
import { FileCheck } from '../../components/Verify/FileCheck';
import { IdForm } from '../../components/Verify/IdForm';
import { QrScanner } from '../../components/Verify/QrScanner';
import { Section } from '../../components/Verify/Section';
import { usePageTitle } from '../../hooks/usePageTitle';

/** Public verification: anyone, signed in or not, checks a record against the ledger. */
export function VerifyPage() {
  usePageTitle('Verify');
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Verify a record</Title>
        <Text c="dimmed">
          Check a certificate, a shipment or a document against the ledger. No account is needed.
        </Text>
      </div>
      <Section title="By id">
        <IdForm />
      </Section>
      <Section title="Scan a QR code">
        <QrScanner />
      </Section>
      <Section title="Check a file">
        <FileCheck />
      </Section>
    </Stack>
  );
}
