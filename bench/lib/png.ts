// A tiny PNG writer (RGB, 8 bits, node:zlib) and line plots on it: axes, ticks with numeric labels
// in a 3×5 pixel font, one coloured line per series. Legends and titles live in the Markdown beside
// the picture (the font only has digits).
import { crc32, deflateSync } from 'node:zlib';

export type Rgb = readonly [number, number, number];

export const COLORS = {
  fjord: [31, 119, 180] as Rgb,
  flux: [255, 127, 14] as Rgb,
  argocd: [214, 39, 40] as Rgb,
  floor: [44, 160, 44] as Rgb,
  extra: [148, 103, 189] as Rgb,
  axis: [40, 40, 40] as Rgb,
  grid: [225, 225, 225] as Rgb,
} as const;

export class Canvas {
  readonly pixels: Buffer;

  constructor(readonly width: number, readonly height: number) {
    this.pixels = Buffer.alloc(width * height * 3, 255);
  }

  set(x: number, y: number, c: Rgb): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const o = (yi * this.width + xi) * 3;
    this.pixels[o] = c[0];
    this.pixels[o + 1] = c[1];
    this.pixels[o + 2] = c[2];
  }

  /** A line 2 pixels thick (Bresenham-like stepping along the longer axis). */
  line([x0, y0]: readonly [number, number], [x1, y1]: readonly [number, number], c: Rgb, thick = 2): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let i = 0; i <= steps; i++) {
      const x = x0 + ((x1 - x0) * i) / steps;
      const y = y0 + ((y1 - y0) * i) / steps;
      for (let dx = 0; dx < thick; dx++) for (let dy = 0; dy < thick; dy++) this.set(x + dx, y + dy, c);
    }
  }

  text(x: number, y: number, s: string, c: Rgb, scale = 2): void {
    let cx = x;
    for (const ch of s) {
      const rows = FONT[ch];
      if (rows) {
        rows.forEach((bits, ry) => {
          for (let rx = 0; rx < 3; rx++) {
            if (bits[rx] !== '1') continue;
            for (let a = 0; a < scale; a++) for (let b = 0; b < scale; b++) this.set(cx + rx * scale + a, y + ry * scale + b, c);
          }
        });
      }
      cx += 4 * scale;
    }
  }

  png(): Buffer {
    const raw = Buffer.alloc((this.width * 3 + 1) * this.height);
    for (let y = 0; y < this.height; y++) {
      raw[y * (this.width * 3 + 1)] = 0;
      this.pixels.copy(raw, y * (this.width * 3 + 1) + 1, y * this.width * 3, (y + 1) * this.width * 3);
    }
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(this.width, 0);
    ihdr.writeUInt32BE(this.height, 4);
    ihdr.set([8, 2, 0, 0, 0], 8);
    return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

const FONT: Record<string, readonly string[]> = {
  '0': ['111', '101', '101', '101', '111'], '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'], '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'], '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'], '7': ['111', '001', '001', '001', '001'],
  '8': ['111', '101', '111', '101', '111'], '9': ['111', '101', '111', '001', '111'],
  '.': ['000', '000', '000', '000', '010'], '%': ['101', '001', '010', '100', '101'],
};

export interface Series {
  readonly color: Rgb;
  /** [x, y] points in data units, drawn in order. */
  readonly points: readonly (readonly [number, number])[];
}

/** A "nice" tick step (1, 2 or 5 × 10^k) giving about `count` ticks up to `max`. */
function tickStep(max: number, count: number): number {
  const rough = max / count;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const m = rough / pow;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
}

const label = (raw: number): string => {
  const v = Math.round(raw * 1e6) / 1e6;
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
};

/** Line plot of the series on linear axes from 0; returns the PNG bytes. */
export function linePlot(series: readonly Series[], opts: { xMax: number; yMax: number; yPercent?: boolean; verticals?: readonly Series[] }): Buffer {
  const W = 720;
  const H = 400;
  const L = 70;
  const B = 40;
  const T = 15;
  const R = 20;
  const c = new Canvas(W, H);
  const xMax = opts.xMax > 0 ? opts.xMax : 1;
  const yMax = opts.yMax > 0 ? opts.yMax : 1;
  const px = (x: number): number => L + (Math.min(x, xMax) / xMax) * (W - L - R);
  const py = (y: number): number => H - B - (Math.min(y, yMax) / yMax) * (H - B - T);
  const xs = tickStep(xMax, 8);
  for (let x = 0; x <= xMax + 1e-9; x += xs) {
    c.line([px(x), T], [px(x), H - B], COLORS.grid, 1);
    const s = label(x);
    c.text(px(x) - s.length * 4, H - B + 8, s, COLORS.axis);
  }
  const ys = tickStep(yMax, 5);
  for (let y = 0; y <= yMax + 1e-9; y += ys) {
    c.line([L, py(y)], [W - R, py(y)], COLORS.grid, 1);
    const s = opts.yPercent ? `${label(y * 100)}%` : label(y);
    c.text(L - 8 - s.length * 8, py(y) - 5, s, COLORS.axis);
  }
  c.line([L, T], [L, H - B], COLORS.axis);
  c.line([L, H - B], [W - R, H - B], COLORS.axis);
  for (const v of opts.verticals ?? []) for (const [x] of v.points) c.line([px(x), T], [px(x), H - B], v.color, 2);
  for (const s of series) {
    for (let i = 1; i < s.points.length; i++) {
      const a = s.points[i - 1];
      const b = s.points[i];
      if (a && b) c.line([px(a[0]), py(a[1])], [px(b[0]), py(b[1])], s.color);
    }
  }
  return c.png();
}

/** The empirical CDF of latency samples (ms) as a step line in seconds; timeouts never reach the top. */
export function cdf(samples: readonly (number | null)[], color: Rgb): Series {
  const done = samples.filter((s): s is number => s !== null).sort((a, b) => a - b);
  const n = samples.length || 1;
  const points: [number, number][] = [[0, 0]];
  done.forEach((v, i) => { points.push([v / 1000, i / n], [v / 1000, (i + 1) / n]); });
  return { color, points };
}
