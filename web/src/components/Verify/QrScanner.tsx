import { Alert, Button, FileButton, Group, Stack, Text } from '@mantine/core';
import { IconCamera, IconPhoto } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { decodeQr, decodeQrImage, verifyPathOf } from './qr';

/** Reads a verification QR code from the camera or from a picture, and follows it. */
export function QrScanner() {
  const navigate = useNavigate();
  const video = useRef<HTMLVideoElement>(null);
  const [scanning, setScanning] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const hasCamera = 'mediaDevices' in navigator;

  const follow = (text: string | null): boolean => {
    if (text === null) return false;
    const path = verifyPathOf(text);
    if (path === null) {
      setProblem('This QR code is not a Provena verification link.');
      return true;
    }
    void navigate(path);
    return true;
  };

  useEffect(() => {
    const element = video.current;
    if (!scanning || element === null) return;
    let stream: MediaStream | null = null;
    let frame = 0;
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      if (element.readyState >= 2 && follow(await decodeQr(element))) {
        setScanning(false);
        return;
      }
      frame = requestAnimationFrame(() => void tick());
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (media) => {
        stream = media;
        element.srcObject = media;
        await element.play();
        await tick();
      })
      .catch(() => {
        setProblem('The camera could not be opened. You can upload a picture of the code instead.');
        setScanning(false);
      });
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((track) => {
        track.stop();
      });
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- restarts only when scanning toggles
  }, [scanning]);

  const readPicture = async (file: File | null) => {
    if (file === null) return;
    setProblem(null);
    try {
      if (!follow(await decodeQrImage(file))) setProblem('No QR code was found in this picture.');
    } catch {
      setProblem('This file could not be read as a picture.');
    }
  };

  return (
    <Stack gap="sm">
      <Group gap="sm">
        {hasCamera && (
          <Button
            leftSection={<IconCamera size={18} aria-hidden />}
            variant={scanning ? 'filled' : 'light'}
            onClick={() => {
              setProblem(null);
              setScanning((on) => !on);
            }}
          >
            {scanning ? 'Stop the camera' : 'Scan with the camera'}
          </Button>
        )}
        <FileButton onChange={(file) => void readPicture(file)} accept="image/*">
          {(props) => (
            <Button {...props} variant="light" leftSection={<IconPhoto size={18} aria-hidden />}>
              Upload a picture of a QR code
            </Button>
          )}
        </FileButton>
      </Group>
      {scanning && (
        <video
          ref={video}
          muted
          playsInline
          aria-label="Camera preview"
          style={{ width: '100%', maxWidth: 420, borderRadius: 8 }}
        />
      )}
      {problem !== null && (
        <Alert role="alert" color="yellow" variant="light">
          {problem}
        </Alert>
      )}
      <Text size="xs" c="dimmed">
        The code is read on this device; only the record it names is looked up.
      </Text>
    </Stack>
  );
}
