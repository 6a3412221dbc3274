import { Anchor, Image, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { LINK, MUTED } from '../Transaction/colors';

/** The public verification short URL of a certificate. */
export function verificationUrl(id: string): string {
  return `${window.location.origin}/v/c/${encodeURIComponent(id)}`;
}

/** A QR code of the public verification URL; the encoder loads only when one is shown. */
export function VerificationQr({ id }: { readonly id: string }) {
  const url = verificationUrl(id);
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void import('qrcode')
      .then((qrcode) => qrcode.toDataURL(url, { margin: 1, width: 176, errorCorrectionLevel: 'M' }))
      .then((data) => {
        if (current) setImage(data);
      });
    return () => {
      current = false;
    };
  }, [url]);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="qr-title">
      <Stack gap="xs" align="center">
        <Title order={2} size="h4" id="qr-title">
          Public verification
        </Title>
        {image !== null && <Image src={image} alt={`QR code for ${url}`} w={176} h={176} />}
        <Anchor c={LINK} href={url} size="xs" style={{ overflowWrap: 'anywhere' }}>
          {url}
        </Anchor>
        <Text size="xs" c={MUTED} ta="center">
          Anyone can scan this to check the certificate, without signing in.
        </Text>
      </Stack>
    </Paper>
  );
}
