/** One-byte codes for vector layouts in WAL records and segment footers. Never renumber. */
import { dataCorrupted } from './errors.js';
import type { Layout } from './types.js';

const codes: Record<Layout, number> = { bool: 1, int16: 2, int32: 3, int64: 4, float32: 5, float64: 6, string: 7 };
const layouts: (Layout | undefined)[] = [];
for (const [layout, code] of Object.entries(codes)) layouts[code] = layout as Layout;

export function layoutCode(layout: Layout): number {
  return codes[layout];
}

export function layoutOfCode(code: number): Layout {
  const layout = layouts[code];
  if (layout === undefined) throw dataCorrupted(`unknown column layout code ${code}`);
  return layout;
}

/** Bytes per value of a fixed layout. */
export function layoutWidth(layout: Layout): number {
  switch (layout) {
    case 'bool':
      return 1;
    case 'int16':
      return 2;
    case 'int32':
    case 'float32':
      return 4;
    case 'int64':
    case 'float64':
      return 8;
    case 'string':
      return 0;
  }
}
