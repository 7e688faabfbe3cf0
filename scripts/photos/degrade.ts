/**
 * Degrades a rendered invoice page the way a phone camera, a scanner or a screenshot does, with sharp and a seeded
 * PRNG (same seed → same bytes). Every parameter is drawn from the PRNG and returned, so expected.json can say what
 * was done to each file.
 *
 * - photo: the page on a table, keystone (one edge farther from the lens), a tilt of a few degrees, uneven light
 *   (a lamp's falloff and a shadow), a warm cast, sensor noise, blur, optionally turned 90°/180°/270° (or stored
 *   sideways with an EXIF orientation tag, as phones do), then JPEG at quality ~60.
 * - scan: grey, slightly skewed, a little blur, paper tone, noise and dust specks, JPEG ~60 (for a scanned PDF).
 * - screenshot: the page as a PDF viewer shows it (grey margins, a toolbar), PNG.
 */
import sharp, { type Sharp } from 'sharp';
import { type Rng, round } from './prng.ts';

sharp.concurrency(1);

export type Turn = 0 | 90 | 180 | 270;

export interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3;
}

const TABLE: [number, number, number] = [104, 92, 80];

async function toRaw(img: Sharp): Promise<Raw> {
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 1 | 3 };
}

const fromRaw = (r: Raw) => sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } });

/** Bilinear sample of channel c at (x, y); outside the image → `bg`. */
function sample(r: Raw, x: number, y: number, c: number, bg: number): number {
  if (x < 0 || y < 0 || x > r.width - 1 || y > r.height - 1) return bg;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, r.width - 1);
  const y1 = Math.min(y0 + 1, r.height - 1);
  const fx = x - x0;
  const fy = y - y0;
  const ch = r.channels;
  const d = r.data;
  const a = d[(y0 * r.width + x0) * ch + c];
  const b = d[(y0 * r.width + x1) * ch + c];
  const e = d[(y1 * r.width + x0) * ch + c];
  const f = d[(y1 * r.width + x1) * ch + c];
  return (a * (1 - fx) + b * fx) * (1 - fy) + (e * (1 - fx) + f * fx) * fy;
}

export interface Lighting {
  /** Where the lamp is (0..1 of the frame) and how much the light falls off towards the far corner. */
  cx: number;
  cy: number;
  falloff: number;
  /** A shadow darkening one side linearly (the phone or a hand between lamp and paper). */
  shadow: number;
  shadowAngle: number;
  /** Per-channel gain (warm indoor light). */
  tint: [number, number, number];
  noise: number;
}

export interface Keystone {
  /** Width of the far edge relative to the near one (< 1). */
  far: number;
  farEdge: 'top' | 'bottom';
  /** Vertical foreshortening of the far half. */
  squash: number;
}

/** One pass over the pixels: keystone remap, then light, tint and noise. */
export function warpAndLight(src: Raw, k: Keystone, l: Lighting, rng: Rng): Raw {
  const { width: W, height: H } = src;
  const out = Buffer.alloc(W * H * 3);
  const cx = (W - 1) / 2;
  const maxD2 = W * W + H * H;
  const lx = l.cx * W;
  const ly = l.cy * H;
  const sx = Math.cos(l.shadowAngle);
  const sy = Math.sin(l.shadowAngle);
  for (let y = 0; y < H; y++) {
    const t = k.farEdge === 'top' ? y / (H - 1) : 1 - y / (H - 1); // 0 at the far edge
    const scale = k.far + (1 - k.far) * t;
    const tSrc = t + k.squash * t * (1 - t) * -1;
    const srcY = k.farEdge === 'top' ? tSrc * (H - 1) : (1 - tSrc) * (H - 1);
    for (let x = 0; x < W; x++) {
      const srcX = cx + (x - cx) / scale;
      const dx = x - lx;
      const dy = y - ly;
      const lamp = 1 - l.falloff * ((dx * dx + dy * dy) / maxD2);
      const side = 1 - l.shadow * Math.max(0, ((x / W - 0.5) * sx + (y / H - 0.5) * sy) * 2);
      const gain = lamp * side;
      const n = l.noise * rng.gauss();
      const o = (y * W + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v = sample(src, srcX, srcY, c, TABLE[c]) * gain * l.tint[c] + n;
        out[o + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return { data: out, width: W, height: H, channels: 3 };
}

export interface PhotoParams {
  kind: 'photo';
  turn: Turn;
  exifOrientation: number | null;
  tiltDeg: number;
  keystone: Keystone;
  lighting: Omit<Lighting, 'tint'> & { tint: number[] };
  blurSigma: number;
  width: number;
  jpegQuality: number;
}

/** The photo as an upright-or-turned RGB raster (before encoding), and the parameters used. */
export async function photoRaster(page: Buffer, rng: Rng, turn: Turn, exif: boolean): Promise<{ raster: Sharp; params: PhotoParams }> {
  const meta = await sharp(page).metadata();
  const m = Math.round((meta.width ?? 1000) * rng.range(0.04, 0.09));
  const onTable = await toRaw(
    sharp(page)
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .extend({ top: m, bottom: m, left: m, right: m, background: { r: TABLE[0], g: TABLE[1], b: TABLE[2] } }),
  );
  const keystone: Keystone = {
    far: round(rng.range(0.9, 0.97)),
    farEdge: rng.next() < 0.7 ? 'top' : 'bottom',
    squash: round(rng.range(0.01, 0.05)),
  };
  const lighting: Lighting = {
    cx: round(rng.range(0.1, 0.9)),
    cy: round(rng.range(0.1, 0.6)),
    falloff: round(rng.range(0.25, 0.5)),
    shadow: round(rng.range(0.05, 0.2)),
    shadowAngle: round(rng.range(0, 2 * Math.PI)),
    tint: [1, round(rng.range(0.95, 0.99)), round(rng.range(0.86, 0.95))],
    noise: round(rng.range(1.5, 3.5), 2),
  };
  const warped = warpAndLight(onTable, keystone, lighting, rng);
  const tiltDeg = round(rng.sign() * rng.range(0.8, 4), 2);
  const blurSigma = round(rng.range(0.6, 1.3), 2);
  const width = Math.round(rng.range(1500, 1800));
  const jpegQuality = Math.round(rng.range(56, 64));
  const tilted = await toRaw(
    fromRaw(warped)
      .rotate(tiltDeg, { background: { r: TABLE[0], g: TABLE[1], b: TABLE[2] } })
      .blur(blurSigma),
  );
  const sized = await toRaw(fromRaw(tilted).resize({ width, kernel: 'lanczos3' }));
  // A phone that stores the sensor's pixels sideways tags EXIF orientation 6 ("rotate 90° clockwise to view").
  const stored: Turn = exif ? 270 : turn;
  let raster = stored ? fromRaw(sized).rotate(stored) : fromRaw(sized);
  if (exif) raster = raster.withMetadata({ orientation: 6 });
  const params: PhotoParams = {
    kind: 'photo',
    turn: exif ? 0 : turn,
    exifOrientation: exif ? 6 : null,
    tiltDeg,
    keystone,
    lighting,
    blurSigma,
    width,
    jpegQuality,
  };
  return { raster, params };
}

export async function photoJpeg(page: Buffer, rng: Rng, turn: Turn, exif = false): Promise<{ bytes: Buffer; params: PhotoParams }> {
  const { raster, params } = await photoRaster(page, rng, turn, exif);
  const bytes = await raster.jpeg({ quality: params.jpegQuality, chromaSubsampling: '4:2:0', mozjpeg: false }).toBuffer();
  return { bytes, params };
}

export interface ScanParams {
  kind: 'scan';
  turn: Turn;
  tiltDeg: number;
  blurSigma: number;
  paper: number;
  ink: number;
  noise: number;
  specks: number;
  jpegQuality: number;
}

/** Paper tone, ink contrast, noise and dust specks on a grey raster, in place. */
function paperAndDust(r: Raw, p: ScanParams, rng: Rng): void {
  const d = r.data;
  for (let i = 0; i < d.length; i++) {
    const v = p.ink + (d[i] / 255) * (p.paper - p.ink) + p.noise * rng.gauss();
    d[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  for (let s = 0; s < p.specks; s++) {
    const x = Math.floor(rng.next() * r.width);
    const y = Math.floor(rng.next() * r.height);
    const size = 1 + Math.floor(rng.next() * 3);
    for (let yy = y; yy < Math.min(r.height, y + size); yy++) for (let xx = x; xx < Math.min(r.width, x + size); xx++) d[yy * r.width + xx] = 40;
  }
}

/** A page as a flatbed or sheet-fed scanner gives it: grey JPEG. */
export async function scanJpeg(page: Buffer, rng: Rng, turn: Turn): Promise<{ bytes: Buffer; params: ScanParams; width: number; height: number }> {
  const params: ScanParams = {
    kind: 'scan',
    turn,
    tiltDeg: round(rng.sign() * rng.range(0.2, 1.5), 2),
    blurSigma: round(rng.range(0.5, 0.9), 2),
    paper: Math.round(rng.range(225, 245)),
    ink: Math.round(rng.range(15, 45)),
    noise: round(rng.range(2, 5), 2),
    specks: Math.round(rng.range(80, 300)),
    jpegQuality: Math.round(rng.range(55, 65)),
  };
  const grey = await toRaw(sharp(page).flatten({ background: '#ffffff' }).grayscale().toColourspace('b-w'));
  paperAndDust(grey, params, rng);
  const skewed = await toRaw(
    fromRaw(grey)
      .rotate(params.tiltDeg, { background: { r: params.paper, g: params.paper, b: params.paper } })
      .blur(params.blurSigma),
  );
  const turned = turn ? fromRaw(skewed).rotate(turn) : fromRaw(skewed);
  const { data, info } = await turned.jpeg({ quality: params.jpegQuality, mozjpeg: false }).toBuffer({ resolveWithObject: true });
  return { bytes: data, params, width: info.width, height: info.height };
}

export interface ScreenshotParams {
  kind: 'screenshot';
  pageWidth: number;
  toolbar: number;
  margin: number;
}

/** The page as shown in a PDF viewer and captured with the OS screenshot tool: grey margins, a dark toolbar, PNG. */
export async function screenshotPng(page: Buffer, rng: Rng): Promise<{ bytes: Buffer; params: ScreenshotParams }> {
  const params: ScreenshotParams = {
    kind: 'screenshot',
    pageWidth: Math.round(rng.range(1150, 1350)),
    toolbar: Math.round(rng.range(48, 64)),
    margin: Math.round(rng.range(60, 140)),
  };
  const sized = await sharp(page).flatten({ background: '#ffffff' }).resize({ width: params.pageWidth }).png().toBuffer();
  const framed = await sharp(sized)
    .extend({
      top: params.margin,
      bottom: params.margin,
      left: params.margin,
      right: params.margin,
      background: { r: 82, g: 86, b: 89 },
    })
    .png()
    .toBuffer();
  const bytes = await sharp(framed)
    .extend({ top: params.toolbar, background: { r: 50, g: 54, b: 57 } })
    .png({ compressionLevel: 9, adaptiveFiltering: true })
    .toBuffer();
  return { bytes, params };
}

/** A sheet-fed scanner's or fax's bilevel TIFF (CCITT G4): the scan's grey page thresholded to black and white. */
export async function scanTiff(page: Buffer, rng: Rng): Promise<{ bytes: Buffer; params: ScanParams & { format: 'tiff-g4'; threshold: number } }> {
  const scan = await scanJpeg(page, rng, 0);
  const threshold = Math.round(rng.range(150, 175));
  const bytes = await sharp(scan.bytes)
    .threshold(threshold)
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 200 / 25.4, yres: 200 / 25.4, resolutionUnit: 'inch' })
    .toBuffer();
  return { bytes, params: { ...scan.params, format: 'tiff-g4', threshold } };
}

/** A photo with no text at all (a wall, taken by mistake): plaster texture, uneven light, JPEG. */
export async function blankPhoto(rng: Rng, width = 1200, height = 1600): Promise<Buffer> {
  const tone = [rng.range(170, 210), rng.range(160, 200), rng.range(140, 180)];
  const wall: Raw = { data: Buffer.alloc(width * height * 3), width, height, channels: 3 };
  for (let i = 0; i < width * height; i++) {
    const n = rng.gauss() * 9;
    for (let c = 0; c < 3; c++) wall.data[i * 3 + c] = Math.max(0, Math.min(255, tone[c] + n));
  }
  const none: Keystone = { far: 1, farEdge: 'top', squash: 0 };
  const light: Lighting = {
    cx: rng.next(),
    cy: rng.next(),
    falloff: 0.6,
    shadow: 0.2,
    shadowAngle: rng.range(0, 6.28),
    tint: [1, 0.97, 0.9],
    noise: 2,
  };
  return fromRaw(warpAndLight(wall, none, light, rng))
    .blur(1.5)
    .jpeg({ quality: 60 })
    .toBuffer();
}
