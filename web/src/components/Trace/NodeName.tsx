import { Fragment } from 'react';
import { labelParts } from './labels';

/** A key and its value ("GTIN 0843…") on one line when it fits, else the value on the next. */
const PAIR = { display: 'inline-block', maxWidth: '100%', verticalAlign: 'bottom' } as const;
/** A value never breaks at its hyphens; one longer than the line ends in an ellipsis. */
const VALUE = {
  display: 'inline-block',
  maxWidth: '100%',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
  verticalAlign: 'bottom',
} as const;

/**
 * A node's label in pieces a line breaks between, never inside an id: "GTIN 0843…" and
 * "lot LOT-7" each stay whole when they fit. An identifier of a form the app does not
 * know is shown as it is, free to wrap anywhere.
 */
export function NodeName({ id }: { readonly id: string }) {
  const parts = labelParts(id);
  if (parts === null) return <span style={{ overflowWrap: 'anywhere' }}>{id}</span>;
  return parts.map((part, index) => {
    const space = part.indexOf(' ');
    const key = space === -1 ? part : part.slice(0, space);
    const value = space === -1 ? null : part.slice(space + 1);
    return (
      <Fragment key={part}>
        {index > 0 && ' '}
        <span style={PAIR}>
          {key}
          {value !== null && (
            <>
              {' '}
              <span style={VALUE}>{value}</span>
            </>
          )}
        </span>
      </Fragment>
    );
  });
}
