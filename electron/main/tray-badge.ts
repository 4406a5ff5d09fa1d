/**
 * Paints a status dot onto the tray icon's pixels (pure, no Electron), so the tray shows at a glance that the
 * secret expires soon (amber) or has expired / the scheduled sync failed (red).
 */
import type { TrayBadge } from './tray-model';

/** The dot's colours as [r, g, b]: Fluent's warning and danger colours. */
export const badgeColours: Record<Exclude<TrayBadge, 'none'>, readonly [number, number, number]> = {
  warning: [0xf7, 0x63, 0x0c],
  error: [0xd1, 0x34, 0x38],
};

/**
 * Returns a copy of a square premultiplied BGRA bitmap (as `nativeImage.toBitmap()` gives it) with a
 * dot in the bottom-right corner, ringed in white so it shows on dark and light task bars alike.
 */
export function paintBadge(bitmap: Uint8Array, size: number, badge: TrayBadge): Uint8Array {
  const out = new Uint8Array(bitmap);
  if (badge === 'none') return out;
  const [r, g, b] = badgeColours[badge];
  const radius = size * 0.3;
  const ring = Math.max(1, size / 16);
  const cx = size - radius;
  const cy = size - radius;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      if (d > radius + 0.5) continue;
      // Edge pixels blend by coverage, so the dot is round at 16 px.
      const coverage = Math.min(1, radius + 0.5 - d);
      const inner = d <= radius - ring;
      const [pr, pg, pb] = inner ? [r, g, b] : [255, 255, 255];
      const i = (y * size + x) * 4;
      // Chromium bitmaps are premultiplied: an opaque colour over them blends channel by channel.
      const blend = (under: number | undefined, over: number) => Math.round(over * coverage + (under ?? 0) * (1 - coverage));
      out[i] = blend(out[i], pb);
      out[i + 1] = blend(out[i + 1], pg);
      out[i + 2] = blend(out[i + 2], pr);
      out[i + 3] = blend(out[i + 3], 255);
    }
  }
  return out;
}
