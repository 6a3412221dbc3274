/** A verified document's bytes, shown as what their media type says they are. */
import { Anchor, Code, Image, Text } from '@mantine/core';
import { useMemo } from 'react';
import { PdfPages } from './PdfPages';

export interface DocumentContentProps {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** An object URL of the same bytes (images, video, saving). */
  readonly url: string;
  readonly mediaType: string;
  readonly name: string;
}

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

/** The text, pretty-printed when it is JSON (as it is if it fails to parse). */
function readable(bytes: Uint8Array, json: boolean): string {
  const text = new TextDecoder().decode(bytes);
  if (!json) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function DocumentContent({ bytes, url, mediaType, name }: DocumentContentProps) {
  const type = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  const text = useMemo(
    () => (type.startsWith('text/') || isJson(type) ? readable(bytes, isJson(type)) : null),
    [bytes, type],
  );

  if (type === 'application/pdf') return <PdfPages bytes={bytes} name={name} />;
  if (text !== null) {
    return (
      <Code block data-testid="document-text" style={{ maxHeight: '70vh', overflow: 'auto' }}>
        {text}
      </Code>
    );
  }
  if (type.startsWith('image/')) return <Image src={url} alt={name} fit="contain" mah="70vh" />;
  if (type.startsWith('video/')) {
    return <video src={url} controls style={{ width: '100%', maxHeight: '70vh' }} aria-label={name} />;
  }
  return (
    <Text size="sm">
      This kind of file ({mediaType}) is not shown here.{' '}
      <Anchor href={url} download={name}>
        Save the verified file
      </Anchor>
    </Text>
  );
}
