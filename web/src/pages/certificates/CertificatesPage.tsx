import { IconCertificate } from '@tabler/icons-react';
import {
  certificateKeys,
  fetchCertificates,
  STATUSES,
  type CertificateFilters,
  type CertificateSummary,
} from '../../components/Certificates/api';
import { CertificateList } from '../../components/Certificates/CertificateList';
import { statusLabel } from '../../components/Certificates/CertificateStatusBadge';
import { RecordListPage, type RecordList } from '../../components/Records/RecordListPage';

const CERTIFICATES: RecordList<CertificateSummary, CertificateFilters> = {
  title: 'Certificates',
  what: 'certificates',
  one: 'certificate',
  describe: (organization) =>
    organization
      ? `Certificates ${organization} issued or holds, newest first.`
      : 'Certificates you may see, newest first.',
  searchPlaceholder: 'Subject or scope',
  statuses: STATUSES,
  statusLabel,
  fields: [
    { name: 'scheme', label: 'Scheme', placeholder: 'e.g. EU-ORGANIC' },
    { name: 'issuer', label: 'Issuer (MSP)', placeholder: 'e.g. CertifierMSP' },
  ],
  queryKey: certificateKeys.list,
  fetch: fetchCertificates,
  rows: (rows) => <CertificateList certificates={rows} />,
  icon: <IconCertificate size={36} stroke={1.4} aria-hidden />,
  hint: {
    filtered: 'Try another status, scheme or search.',
    none: 'Certificates your organization issues or holds will appear here.',
  },
  create: { role: 'certifier', to: '/certificates/new', label: 'Issue a certificate' },
};

export function CertificatesPage() {
  return <RecordListPage list={CERTIFICATES} />;
}
