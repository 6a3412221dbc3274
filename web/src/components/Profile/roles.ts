/** How roles and organization kinds read and look. Unknown values still render. */

const ROLE_COLORS: Readonly<Record<string, string>> = {
  admin: 'grape',
  certifier: 'teal',
  producer: 'lime',
  carrier: 'blue',
  receiver: 'orange',
  auditor: 'indigo',
};

export function roleColor(role: string): string {
  return ROLE_COLORS[role] ?? 'gray';
}

const KIND_LABELS: Readonly<Record<string, string>> = {
  certification_body: 'Certification body',
  producer: 'Producer',
  carrier: 'Carrier',
  retailer: 'Retailer',
};

/** "certification_body" → "Certification body". */
export function organizationKindLabel(kind: string): string {
  const known = KIND_LABELS[kind];
  if (known !== undefined) return known;
  const words = kind.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
