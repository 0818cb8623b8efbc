import { Image } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A QR code of an `otpauth://` URI, drawn in the browser (the secret never leaves it). */
export function QrCode({ uri }: { uri: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let active = true;
    // SVG needs no canvas; the image is a data URL, so nothing is fetched from anywhere.
    void import('qrcode')
      .then(({ toString }) => toString(uri, { type: 'svg', margin: 2, width: 220, errorCorrectionLevel: 'M' }))
      .then(
        (svg) => {
          if (active) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
        },
        () => {
          // Without the picture the secret is still shown as text for manual entry.
        },
      );
    return () => {
      active = false;
    };
  }, [uri]);
  return src ? <Image src={src} alt={t('auth.enrol.qrAlt')} w={220} h={220} data-testid="mfa-qr" /> : null;
}
