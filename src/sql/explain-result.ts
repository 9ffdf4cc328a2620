/** EXPLAIN [ANALYZE]: the physical operator tree as rows of text, with run-time counts for ANALYZE. */
import type { Value } from '../../storage/types.js';
import { buildOperator } from '../../planner/physical/build.js';
import type { OperatorProfile } from '../../planner/physical/context.js';
import { run } from '../../planner/physical/operator.js';
import { explainLines } from '../../planner/explain.js';
import type { ExecuteContext, StatementResult } from '../engine.js';
import type { BoundStatement } from './bind-statement.js';
import { textRows } from './commands.js';
import { runSubqueries, withSubqueries } from './subqueries.js';
import type { SqlEngine } from './engine.js';

export async function explainResult(
  engine: SqlEngine,
  statement: Extract<BoundStatement, { kind: 'explain' }>,
  params: readonly Value[],
  context: ExecuteContext,
): Promise<StatementResult> {
  const inner = statement.statement;
  if (inner.kind !== 'query' && inner.kind !== 'insert') throw new Error('EXPLAIN of a command');
  const operator = buildOperator(inner.plan);
  let profile: Map<object, OperatorProfile> | null = null;
  const extra: string[] = [];
  if (statement.analyze) {
    profile = new Map();
    const exec = withSubqueries(engine.execContext(params, context, context.signal, profile), inner.subplans);
    const start = performance.now();
    await runSubqueries(inner.subplans, exec);
    for await (const batch of run(operator, exec)) void batch;
    extra.push(`Execution Time: ${(performance.now() - start).toFixed(3)} ms`);
  }
  const lines = [...explainLines(operator, profile), ...extra];
  return { columns: null, rows: textRows(lines.map((l) => [l]), 1), commandTag: () => 'EXPLAIN' };
}
