/** Renders bound expressions as compact SQL-like text for EXPLAIN. */
import { defaultFormatSettings, formatText } from '../../storage/value-codecs.js';
import type { AggregateCall, Expr } from '../expr.js';

const operators: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=', add: '+', sub: '-', mul: '*', div: '/', mod: '%', concat: '||', jsonb_get: '->', jsonb_get_text: '->>' };

/** PostgreSQL's operator functions, shown as the operators they implement (as EXPLAIN does). */
const operatorFunctions: Record<string, string> = {
  timestamptz_pl_interval: '+', timestamptz_mi_interval: '-', timestamp_pl_interval: '+', timestamp_mi_interval: '-',
  date_pl_interval: '+', date_mi_interval: '-', timestamp_mi: '-', timestamptz_mi: '-', interval_pl: '+', interval_mi: '-',
  interval_mul: '*', mul_d_interval: '*', interval_div: '/',
};

export function describeExpr(expr: Expr, names: readonly string[]): string {
  const d = (e: Expr) => describeExpr(e, names);
  switch (expr.kind) {
    case 'Column':
      return names[expr.index] ?? `#${expr.index}`;
    case 'Literal':
      if (expr.value === null) return 'NULL';
      if (expr.type.layout === 'string' || expr.type.id === 'date' || expr.type.id.startsWith('timestamp')) {
        return `'${formatText(expr.type, expr.value, defaultFormatSettings).replace(/'/g, "''")}'::${expr.type.name}`;
      }
      return formatText(expr.type, expr.value, defaultFormatSettings);
    case 'Param':
      return `$${expr.index + 1}`;
    case 'Call': {
      const op = operators[expr.fn];
      if (op !== undefined && expr.args.length === 2) return `(${d(expr.args[0] as Expr)} ${op} ${d(expr.args[1] as Expr)})`;
      if (expr.fn === 'neg') return `(- ${d(expr.args[0] as Expr)})`;
      if (expr.fn === 'make_array') return `ARRAY[${expr.args.map(d).join(', ')}]`;
      if (expr.fn === 'array_subscript') return `${d(expr.args[0] as Expr)}[${d(expr.args[1] as Expr)}]`;
      return `${expr.fn}(${expr.args.map(d).join(', ')})`;
    }
    case 'Subquery': {
      const test = expr.arg === null ? '' : expr.mode === 'in' ? `${d(expr.arg)} IN ` : `${d(expr.arg)} ${operators[expr.op ?? 'eq']} ${expr.mode.toUpperCase()} `;
      const correlated = expr.outer.length === 0 ? '' : ` for ${expr.outer.map(d).join(', ')}`;
      return `${test}${expr.mode === 'exists' ? 'EXISTS ' : ''}(subquery $${expr.index + 1}${correlated})`;
    }
    case 'OuterRef':
      return `outer${expr.depth > 1 ? expr.depth : ''}.$${expr.slot + 1}`;
    case 'Function': {
      const op = operatorFunctions[expr.name];
      if (op !== undefined && expr.args.length === 2) return `(${d(expr.args[0] as Expr)} ${op} ${d(expr.args[1] as Expr)})`;
      if (expr.name === 'interval_um') return `(- ${d(expr.args[0] as Expr)})`;
      return `${expr.name}(${expr.args.map(d).join(', ')})`;
    }
    case 'Cast':
      return `(${d(expr.arg)})::${expr.type.name}`;
    case 'And':
    case 'Or':
      return `(${expr.args.map(d).join(` ${expr.kind.toUpperCase()} `)})`;
    case 'Not':
      return `(NOT ${d(expr.arg)})`;
    case 'IsNull':
      return `(${d(expr.arg)} IS ${expr.negated ? 'NOT ' : ''}NULL)`;
    case 'IsBool':
      return `(${d(expr.arg)} IS ${expr.negated ? 'NOT ' : ''}${expr.test.toUpperCase()})`;
    case 'InList':
      return `(${d(expr.arg)} ${expr.negated ? 'NOT IN' : 'IN'} (${expr.list.map(d).join(', ')}))`;
    case 'Like':
      return `(${d(expr.arg)} ${expr.negated ? 'NOT ' : ''}${expr.caseInsensitive ? 'ILIKE' : 'LIKE'} ${d(expr.pattern)})`;
    case 'DistinctFrom':
      return `(${d(expr.left)} IS ${expr.negated ? 'NOT ' : ''}DISTINCT FROM ${d(expr.right)})`;
    case 'Case':
      return `CASE ${expr.whens.map((w) => `WHEN ${d(w.when)} THEN ${d(w.then)}`).join(' ')}${expr.otherwise ? ` ELSE ${d(expr.otherwise)}` : ''} END`;
    case 'Coalesce':
      return `COALESCE(${expr.args.map(d).join(', ')})`;
    case 'MinMax':
      return `${expr.op.toUpperCase()}(${expr.args.map(d).join(', ')})`;
    case 'ArrayCompare':
      return `(${d(expr.arg)} ${operators[expr.op]} ${expr.all ? 'ALL' : 'ANY'} (${d(expr.array)}))`;
  }
}

export function describeAggregate(call: AggregateCall, names: readonly string[]): string {
  const fn = call.fn === 'count_star' ? 'count' : call.fn;
  const extra = (call.extraArgs ?? []).map((e) => describeExpr(e, names));
  const order = (call.orderBy ?? []).map((o) => `${describeExpr(o.expr, names)}${o.descending ? ' DESC' : ''}`).join(', ');
  const filter = call.filter ? ` FILTER (WHERE ${describeExpr(call.filter, names)})` : '';
  if (call.fn === 'grouping') return `grouping(${(call.grouping ?? []).map((i) => `#${i}`).join(', ')})`; // keys by index: the operator names them
  if (call.fn === 'percentile_cont' || call.fn === 'percentile_disc' || call.fn === 'mode') return `${fn}(${extra.join(', ')}) WITHIN GROUP (ORDER BY ${order})${filter}`;
  const arg = call.arg === null ? '*' : `${call.distinct ? 'DISTINCT ' : ''}${[describeExpr(call.arg, names), ...extra].join(', ')}`;
  return `${fn}(${arg}${order === '' ? '' : ` ORDER BY ${order}`})${filter}`;
}
