/** The issue form's values, checked in the browser before anything is uploaded. */
import type { IssueCertificate, SubjectKind } from './api';

export interface IssueValues {
  readonly id: string;
  readonly scheme: string;
  readonly subjectKind: SubjectKind;
  readonly subjectId: string;
  readonly subjectName: string;
  readonly subjectMsp: string;
  readonly scope: string;
  /** `YYYY-MM-DD`, as a date input gives it. */
  readonly validFrom: string;
  readonly validUntil: string;
}

export type IssueErrors = Partial<Record<keyof IssueValues, string>>;

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

/** A fresh certificate number, e.g. `CERT-2026-4F0A1C`. */
export function suggestId(now = new Date()): string {
  const random = crypto.getRandomValues(new Uint8Array(3));
  const hex = [...random].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `CERT-${String(now.getFullYear())}-${hex.toUpperCase()}`;
}

export function validateIssue(values: IssueValues): IssueErrors {
  const errors: IssueErrors = {};
  if (!ID.test(values.id.trim())) {
    errors.id = 'Use 3 to 64 letters, digits, dots, dashes or underscores.';
  }
  if (values.scheme.trim() === '') errors.scheme = 'Name the scheme, e.g. EU-ORGANIC.';
  if (values.subjectId.trim() === '') errors.subjectId = 'Give the subject’s identifier.';
  if (values.subjectName.trim() === '') errors.subjectName = 'Give the subject’s name.';
  if (values.scope.trim() === '') errors.scope = 'Say what the certificate covers.';
  if (values.validFrom === '') errors.validFrom = 'Choose the first day of validity.';
  if (values.validUntil === '') errors.validUntil = 'Choose the last day of validity.';
  else if (values.validFrom !== '' && values.validUntil <= values.validFrom) {
    errors.validUntil = 'The certificate must end after it starts.';
  }
  return errors;
}

/** The request body, with the uploaded documents' CIDs. */
export function issueBody(values: IssueValues, documents: string[]): IssueCertificate {
  const msp = values.subjectMsp.trim();
  return {
    id: values.id.trim(),
    scheme: values.scheme.trim(),
    subject: {
      kind: values.subjectKind,
      id: values.subjectId.trim(),
      name: values.subjectName.trim(),
      msp_id: msp === '' ? null : msp,
    },
    scope: values.scope.trim(),
    valid_from: `${values.validFrom}T00:00:00Z`,
    valid_until: `${values.validUntil}T23:59:59Z`,
    documents,
  };
}
