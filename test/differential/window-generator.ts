/**
 * Random window queries over one generated table: ranking, offset and value functions and
 * aggregates OVER (PARTITION BY ... ORDER BY ...) with ROWS/RANGE/GROUPS frames and EXCLUDE.
 *
 * Only answers that do not depend on the order among peers: a window ordered by every column of
 * the table (rows that tie are equal, so any order among them gives the same multiset) may use any
 * function and frame; a window ordered by fewer columns uses only functions that treat peers
 * alike (rank, dense_rank, percent_rank, cume_dist, aggregates over RANGE/GROUPS frames). Rows are
 * compared as a multiset.
 */
import type { Random } from '../support/random.js';
import { ExpressionGenerator } from './expression-generator.js';
import type { GeneratedQuery } from './query-generator.js';
import { coreTypes, type ColumnType, type Table } from './table-generator.js';

const summableTypes: readonly ColumnType[] = ['int2', 'int4', 'int8', 'float8', 'numeric'];
const minMaxTypes: readonly ColumnType[] = ['int2', 'int4', 'int8', 'float8', 'numeric', 'text', 'date', 'timestamptz'];
const rangeOffsetTypes: readonly ColumnType[] = ['int2', 'int4', 'int8', 'float8', 'numeric', 'date', 'timestamptz'];

export class WindowGenerator {
  private readonly expressions: ExpressionGenerator;

  constructor(
    private readonly random: Random,
    private readonly table: Table,
  ) {
    this.expressions = new ExpressionGenerator(random, table);
  }

  next(): GeneratedQuery {
    const random = this.random;
    const items: string[] = [];
    for (let count = random.int(0, 2); count > 0; count--) items.push(random.pick(this.table.columns).name);
    for (let count = random.int(1, 3); count > 0; count--) items.push(this.windowItem());
    const where = random.chance(0.4) ? ` WHERE ${this.expressions.predicate(random.int(1, 2), { stableText: false }).sql}` : '';
    return { sql: `SELECT ${items.join(', ')} FROM ${this.table.name}${where}`, ordered: false };
  }

  private windowItem(): string {
    const random = this.random;
    const partition = [];
    for (let count = random.int(0, 2); count > 0; count--) partition.push(this.expressions.of(random.pick(coreTypes), random.int(0, 1), { stableText: true }).sql);
    const total = random.chance(0.5);
    const direction = () => `${random.pick(['', ' DESC'])}${random.pick(['', ' NULLS FIRST', ' NULLS LAST'])}`;
    const orderColumns = total ? [...this.table.columns] : [];
    if (!total) for (let count = random.int(0, 2); count > 0; count--) orderColumns.push(random.pick(this.table.columns));
    for (let i = orderColumns.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [orderColumns[i], orderColumns[j]] = [orderColumns[j]!, orderColumns[i]!];
    }
    const order = orderColumns.map((column) => `${column.name}${direction()}`);
    const spec = [partition.length > 0 ? `PARTITION BY ${partition.join(', ')}` : '', order.length > 0 ? `ORDER BY ${order.join(', ')}` : ''];
    const single = orderColumns.length === 1 ? orderColumns[0] : undefined;
    const call = this.call(total, order.length > 0, single !== undefined && rangeOffsetTypes.includes(single.type) ? single.type : null);
    return `${call.text} OVER (${[...spec, call.frame].filter((s) => s !== '').join(' ')})`;
  }

  /** A function and, where it matters, a frame clause. */
  /** `rangeKey`: the type of the single ORDER BY column when RANGE may take offsets over it. */
  private call(total: boolean, ordered: boolean, rangeKey: ColumnType | null): { text: string; frame: string } {
    const random = this.random;
    const argument = (types: readonly ColumnType[], stableText: boolean) =>
      this.expressions.of(random.pick(types), random.int(0, 2), { stableText, mayFail: true }).sql;
    const choice = random.int(0, total ? 9 : 4);
    switch (choice) {
      case 0:
        return { text: random.pick(['rank()', 'dense_rank()', 'percent_rank()', 'cume_dist()']), frame: '' };
      case 1:
        return { text: 'count(*)', frame: this.frame(total, ordered, rangeKey) };
      case 2:
        return { text: `${random.pick(['sum', 'avg'])}(${argument(summableTypes, false)})`, frame: this.frame(total, ordered, rangeKey) };
      case 3:
        return { text: `${random.pick(['min', 'max'])}(${argument(minMaxTypes, true)})`, frame: this.frame(total, ordered, rangeKey) };
      case 4:
        return { text: `count(${argument(coreTypes, false)})`, frame: this.frame(total, ordered, rangeKey) };
      case 5:
        return { text: random.pick(['row_number()', `ntile(${random.int(1, 7)})`]), frame: '' };
      case 6: {
        const fn = random.pick(['lag', 'lead']);
        const type = random.pick(coreTypes);
        const value = argument([type], true);
        const tail = random.chance(0.5) ? '' : `, ${random.int(0, 3)}${random.chance(0.5) ? '' : `, ${this.expressions.literal(type).sql}`}`;
        return { text: `${fn}(${value}${tail})`, frame: '' };
      }
      default: {
        const fn = random.pick(['first_value', 'last_value', 'nth_value']);
        const value = argument(coreTypes, true);
        return { text: fn === 'nth_value' ? `nth_value(${value}, ${random.int(1, 4)})` : `${fn}(${value})`, frame: this.frame(total, ordered, rangeKey) };
      }
    }
  }

  /** Empty (the default frame) or a frame clause; ROWS only under a total order. */
  private frame(total: boolean, ordered: boolean, rangeKey: ColumnType | null): string {
    // EXCLUDE keeps answers peer-independent: the current row is itself, and ties exclude all peers but it.
    const random = this.random;
    if (random.chance(0.3)) return '';
    const modes = ['RANGE'];
    if (ordered) modes.push('GROUPS');
    if (total) modes.push('ROWS');
    const mode = random.pick(modes);
    const offsets = mode !== 'RANGE' || rangeKey !== null;
    const calendar = rangeKey === 'date' || rangeKey === 'timestamptz';
    const offset = () =>
      mode !== 'RANGE'
        ? String(random.int(0, 3))
        : calendar
          ? `interval '${random.pick(['0', '1 day', '3 days', '1 month', '36 hours', '1 mon 2 days 03:00'])}'`
          : random.pick(['0', '1', '2.5', '10', '1000']);
    const bounds = offsets ? ['UNBOUNDED PRECEDING', 'P', 'CURRENT ROW', 'F', 'UNBOUNDED FOLLOWING'] : ['UNBOUNDED PRECEDING', 'CURRENT ROW', 'UNBOUNDED FOLLOWING'];
    // The end may not come before the start in this list (PostgreSQL's grammar refuses it).
    const startIndex = random.int(0, bounds.length - 2);
    const endIndex = random.int(Math.max(startIndex, 1), bounds.length - 1);
    const text = (bound: string) => (bound === 'P' ? `${offset()} PRECEDING` : bound === 'F' ? `${offset()} FOLLOWING` : bound);
    let clause = `${mode} BETWEEN ${text(bounds[startIndex]!)} AND ${text(bounds[endIndex]!)}`;
    if (random.chance(0.25)) clause += ` EXCLUDE ${random.pick(['CURRENT ROW', 'GROUP', 'TIES', 'NO OTHERS'])}`;
    return clause;
  }
}
