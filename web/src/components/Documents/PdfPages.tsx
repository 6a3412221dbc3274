/** The first pages of a verified PDF, drawn to canvases by pdf.js (loaded on demand). */
import { Alert, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';

const FIRST_PAGES = 3;
const WIDTH = 800;

export function PdfPages({ bytes, name }: { readonly bytes: Uint8Array; readonly name: string }) {
  const holder = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ pages: number; error: string | null } | null>(null);

  useEffect(() => {
    const stop = new AbortController();
    const target = holder.current;
    if (target === null) return;
    void (async () => {
      try {
        const [pdfjs, worker] = await Promise.all([
          import('pdfjs-dist'),
          import('pdfjs-dist/build/pdf.worker.min.mjs?url'),
        ]);
        pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
        // pdf.js takes ownership of the buffer it is given: hand it a copy.
        const pdf = await pdfjs.getDocument({ data: bytes.slice() }).promise;
        const shown = Math.min(pdf.numPages, FIRST_PAGES);
        for (let number = 1; number <= shown && !stop.signal.aborted; number += 1) {
          const page = await pdf.getPage(number);
          const scale = WIDTH / page.getViewport({ scale: 1 }).width;
          const viewport = page.getViewport({ scale });
          const canvas = document.createElement('canvas');
          canvas.width = viewport.width;
          canvas.height = viewport.height;
          canvas.style.width = '100%';
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', `${name}, page ${number}`);
          target.append(canvas);
          await page.render({ canvas, viewport }).promise;
        }
        if (!stop.signal.aborted) setState({ pages: pdf.numPages, error: null });
      } catch (error) {
        if (!stop.signal.aborted) setState({ pages: 0, error: String(error) });
      }
    })();
    return () => {
      stop.abort();
      target.replaceChildren();
    };
  }, [bytes, name]);

  return (
    <Stack gap="sm">
      {state === null && <Loader size="sm" aria-label="Drawing the PDF" />}
      {state?.error != null && (
        <Alert color="orange" title="The PDF could not be drawn">
          {state.error}
        </Alert>
      )}
      <Stack ref={holder} gap="md" data-testid="pdf-pages" />
      {state !== null && state.pages > FIRST_PAGES && (
        <Text size="sm" c="dimmed">
          The first {FIRST_PAGES} of {state.pages} pages.
        </Text>
      )}
    </Stack>
  );
}
