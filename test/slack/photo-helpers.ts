import sharp from 'sharp';

/** Small images made here (sharp from SVG), for the Slack side of reading photos: no fixture files needed. */

const escXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A plain printed invoice page as an image: large, black-on-white text lines. */
export function invoiceSvg(lines: string[], o: { width?: number; height?: number } = {}): Buffer {
  const width = o.width ?? 1240;
  const height = o.height ?? 1754;
  const text = lines
    .map((l, i) => `<text x="90" y="${160 + i * 70}" font-family="DejaVu Sans, Arial, sans-serif" font-size="40" fill="#111">${escXml(l)}</text>`)
    .join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${text}</svg>`,
  );
}

export async function invoiceImage(
  lines: string[],
  format: 'jpeg' | 'png' | 'webp' | 'tiff',
  o: { rotate?: 0 | 90 | 180 | 270 } = {},
): Promise<Buffer> {
  const img = sharp(invoiceSvg(lines))
    .flatten({ background: '#fff' })
    .rotate(o.rotate ?? 0);
  return (format === 'jpeg' ? img.jpeg({ quality: 80 }) : img.toFormat(format)).toBuffer();
}

/** A photo of a wall: soft light and texture, no text at all. */
export async function wallPhoto(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <defs><radialGradient id="g" cx="40%" cy="35%" r="80%"><stop offset="0" stop-color="#e9e2d0"/><stop offset="1" stop-color="#9c927c"/></radialGradient>
    <filter id="n"><feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="2" seed="7"/><feColorMatrix type="saturate" values="0"/><feBlend in="SourceGraphic" mode="multiply"/></filter></defs>
    <rect width="100%" height="100%" fill="url(#g)" filter="url(#n)"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
}

export const AZURE_LINES = [
  'Azure Interior',
  '4557 De Silva St, Fremont, CA 94538',
  '',
  'INVOICE INV/2023/03/0008',
  'Invoice Date: 03/20/2023',
  'Due Date: 04/19/2023',
  '',
  'Bill to: Keystone Builders',
  '',
  'Description                 Amount',
  'Office chairs               243.33',
  '',
  'Untaxed Amount: $ 243.33',
  'Tax 15%: $ 36.51',
  'Total: $ 279.84',
];
