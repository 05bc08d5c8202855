import { useMemo } from 'react';
import { encodeQrMatrix } from '@/lib/shared/epc-qr';

const QUIET_ZONE = 4;

/**
 * The EPC QR code as inline SVG, drawn from the module matrix: no image URL, no script and no
 * canvas, so nothing here needs a CSP exception. One path, one unit square per dark module.
 */
export function EpcQrCode({ payload, label }: { payload: string; label: string }) {
  const { size, path } = useMemo(() => {
    const matrix = encodeQrMatrix(payload);
    const d: string[] = [];
    matrix.forEach((row, y) => row.forEach((dark, x) => dark && d.push(`M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`)));
    return { size: matrix.length + 2 * QUIET_ZONE, path: d.join('') };
  }, [payload]);

  return (
    <svg className="epc-qr" viewBox={`0 0 ${size} ${size}`} width={240} height={240} role="img" aria-label={label} shapeRendering="crispEdges" data-testid="epc-qr">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
