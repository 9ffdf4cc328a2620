/** EXPLAIN and EXPLAIN ANALYZE text: the operator tree, PostgreSQL-style, one line per row. */
import type { OperatorProfile } from './physical/context.js';
import type { Operator } from './physical/operator.js';

export function explainLines(root: Operator, profile: Map<object, OperatorProfile> | null): string[] {
  const lines: string[] = [];
  const visit = (operator: Operator, depth: number) => {
    const indent = depth === 0 ? '' : `${' '.repeat(depth * 6 - 6)}  ->  `;
    const detail = operator.describe();
    let line = `${indent}${operator.name}${detail === '' ? '' : ` ${detail}`}`;
    const p = profile?.get(operator);
    if (p !== undefined) {
      line += ` (actual rows=${p.rows} batches=${p.batches} time=${p.timeMs.toFixed(3)} ms)`;
      const d = p.detail;
      if ('segments' in d) {
        line += ` [segments=${d.segments} skipped=${d.segmentsSkipped} blocks=${d.blocks} skipped=${d.blocksSkipped} tail rows=${d.tailRows} rows read=${d.rowsRead}]`;
      }
      if ('tasks' in d || 'coordinatorPieces' in d) {
        line += ` [worker tasks=${d.tasks ?? 0} time=${(d.workerMs ?? 0).toFixed(3)} ms, pieces run here=${d.coordinatorPieces ?? 0}]`;
      }
    }
    lines.push(line);
    for (const child of operator.children) visit(child, depth + 1);
  };
  visit(root, 0);
  return lines;
}
