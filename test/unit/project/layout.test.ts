/**
 * The layout rules of DESIGN.md, checked: imports point downward only (src -> planner -> storage),
 * and source files stay small enough to read in one sitting.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');
const layers = ['storage', 'planner', 'src'] as const;
const maxLines = 600;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
}

describe('layout', () => {
  for (const layer of layers) {
    const below = layers.slice(0, layers.indexOf(layer) + 1);
    it(`${layer}/ imports only from ${below.join(', ')}`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(join(root, layer))) {
        for (const spec of importsOf(file)) {
          if (!spec.startsWith('.')) continue;
          const target = relative(root, resolve(file, '..', spec)).split('/')[0] as string;
          if ((layers as readonly string[]).includes(target) && !below.includes(target as (typeof layers)[number])) {
            violations.push(`${relative(root, file)} imports ${spec}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it(`source files have at most ${maxLines} lines`, () => {
    const long = layers
      .flatMap((layer) => sourceFiles(join(root, layer)))
      .map((file) => ({ file: relative(root, file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter((f) => f.lines > maxLines)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(long).toEqual([]);
  });
});
