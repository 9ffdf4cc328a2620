/**
 * Random queries over one generated table: projections (with DISTINCT, WHERE, ORDER BY ... LIMIT)
 * and aggregations (GROUP BY, GROUPING SETS/ROLLUP/CUBE with grouping(), HAVING; count, sum, avg,
 * min, max, bool_and/or, string_agg, the variance family, percentile_cont/disc, mode). A query says whether its ORDER BY orders by every output
 * column, so its rows are compared as a sequence; otherwise they are compared as a multiset.
 */
import { ExpressionGenerator, type Expression } from './expression-generator.js';
import type { Random } from '../support/random.js';
import { coreTypes, type ColumnType, type Table } from './table-generator.js';

export interface GeneratedQuery {
  readonly sql: string;
  /** True when ORDER BY lists every output column, so the row order is determined. */
  readonly ordered: boolean;
}

const orderableTypes = coreTypes;
const summableTypes: readonly ColumnType[] = ['int2', 'int4', 'int8', 'float8', 'numeric'];
const minMaxTypes: readonly ColumnType[] = ['int2', 'int4', 'int8', 'float8', 'numeric', 'text', 'date', 'timestamptz'];

/**
 * EXCLUSION, an Eventide bug: a GROUP BY key or ORDER BY term that is a bare constant other than
 * an integer (`GROUP BY c1, false`, `GROUP BY 1.5`, `ORDER BY c1, false`, `ORDER BY NULL`) is an
 * error in PostgreSQL (42601 "non-integer constant in GROUP BY" / "... in ORDER BY"); Eventide
 * groups or sorts by it (and reports 42803 instead for `GROUP BY 'a'`). A bare integer literal
 * (also `(- 9)`) is an output position, which the generator does not mean either. Once the binder
 * refuses such constants, drop true/false/NULL from this pattern.
 */
function isBareConstant(sql: string): boolean {
  return /^\(?(true|false|NULL|-?\s*\d+(\.\d+)?)\)?$/.test(sql);
}

/**
 * EXCLUSION, an Eventide bug: PostgreSQL names a CASE column after its ELSE result when that is a
 * column (`CASE c1 WHEN 1 THEN c2 ELSE c7 END` is named c7; Eventide names it "case"). So in
 * PostgreSQL `SELECT CASE ... ELSE c7 END, c7 ... ORDER BY c7` is 42702 (ORDER BY "c7" is
 * ambiguous) while Eventide sorts. An ORDER BY term that is a bare column name is written
 * qualified (t.c7), which never matches an output name. Remove once Eventide names columns as
 * PostgreSQL's FigureColname does.
 */
function excludedOutputNameMatch(item: string): boolean {
  return /^c\d+$/.test(item);
}

function excludedGroupKey(key: Expression): boolean {
  return isBareConstant(key.sql);
}

export class QueryGenerator {
  private readonly expressions: ExpressionGenerator;

  constructor(
    private readonly random: Random,
    private readonly table: Table,
  ) {
    this.expressions = new ExpressionGenerator(random, table);
  }

  next(): GeneratedQuery {
    return this.random.chance(0.55) ? this.projection() : this.aggregation();
  }

  private where(): string {
    if (!this.random.chance(0.7)) return '';
    return ` WHERE ${this.expressions.predicate(this.random.int(1, 3), { stableText: false }).sql}`;
  }

  private projection(): GeneratedQuery {
    const random = this.random;
    const distinct = random.chance(0.25);
    const ordered = random.chance(0.4);
    const stableText = distinct || ordered;
    const mayFail = !ordered;
    const items: string[] = [];
    if (random.chance(0.08)) {
      items.push(...this.table.columns.map((column) => column.name));
      const sql = `SELECT ${distinct ? 'DISTINCT ' : ''}* FROM ${this.table.name}${this.where()}`;
      return { sql: ordered ? sql + this.orderBy(items) : sql, ordered };
    }
    for (let count = random.int(1, 4); count > 0; count--) {
      if (random.chance(0.05)) {
        // A NULL literal: untyped it is text in the result; cast it has the cast's type.
        items.push(random.pick(['NULL', 'NULL::int4', 'CAST(NULL AS date)']));
        continue;
      }
      if (random.chance(0.08)) {
        items.push(this.outputEdge());
        continue;
      }
      items.push(this.expressions.of(random.pick(orderableTypes), random.int(0, 3), { stableText, mayFail }).sql);
    }
    const aliased = items.map((item, index) => (random.chance(0.2) ? `${item} AS "col ${index}"` : item));
    let sql = `SELECT ${distinct ? 'DISTINCT ' : ''}${aliased.join(', ')} FROM ${this.table.name}${this.where()}`;
    if (ordered) sql += this.orderBy(distinct ? items.map((_, index) => String(index + 1)) : items);
    return { sql, ordered };
  }

  /**
   * A select-list item that tests output formatting at the edges: float8 with exponents and
   * inexact fractions, the limits of the integer types, long numerics, infinities and NaN. Only in
   * projections: per row these are exact functions of the input, but summing them would depend on
   * the order rows are added in.
   */
  private outputEdge(): string {
    const random = this.random;
    const scale = random.pick(['1e15', '1.5e16', '1e-5', '0.1', '3e20', '123456.789', '1e300', '7e-300']);
    const numbers = this.table.columns.filter((column) => ['int2', 'int4', 'float8'].includes(column.type));
    if (numbers.length > 0 && random.chance(0.5)) return `(${random.pick(numbers).name} * ${scale}::float8)`;
    return random.pick([
      '9223372036854775807::int8',
      '(-9223372036854775808)::int8',
      '(-32768)::int2',
      '2147483647',
      `${scale}::float8`,
      "'Infinity'::float8",
      "'-Infinity'::float8",
      "'NaN'::float8",
      '123456789012345678901234567890.123456789',
      '(0.000000000000000000001)::numeric',
      "'NaN'::numeric",
      "'infinity'::date",
      "'-infinity'::timestamptz",
    ]);
  }

  private aggregation(): GeneratedQuery {
    const random = this.random;
    const keys: Expression[] = [];
    for (let count = random.int(0, 2); count > 0; count--) {
      const key = this.expressions.of(random.pick(orderableTypes), random.int(0, 1), { stableText: true });
      if (!excludedGroupKey(key)) keys.push(key);
    }
    const aggregates: string[] = [];
    for (let count = random.int(1, 3); count > 0; count--) aggregates.push(this.aggregateItem());
    const groupingSets = keys.length > 0 && random.chance(0.3);
    if (groupingSets && random.chance(0.5)) aggregates.push(`grouping(${keys.map((key) => key.sql).join(', ')})`);
    const items = [...keys.map((key) => key.sql), ...aggregates];
    let sql = `SELECT ${items.join(', ')} FROM ${this.table.name}${this.where()}`;
    if (groupingSets) sql += ` GROUP BY ${this.groupingSets(keys.map((key) => key.sql))}`;
    else if (keys.length > 0) sql += ` GROUP BY ${keys.map((key) => key.sql).join(', ')}`;
    if (keys.length > 0 && random.chance(0.4)) sql += ` HAVING ${this.having()}`;
    // PostgreSQL 15 drops a key it proves constant (13, COALESCE(1.5, c)) from ORDER BY even where a
    // grouping set makes it NULL, so its order is not the one asked for: such rows compare as a set.
    const ordered = !groupingSets && random.chance(0.4);
    if (ordered) sql += this.orderBy(items.map((_, index) => String(index + 1)));
    return { sql, ordered };
  }

  /** ROLLUP, CUBE, GROUPING SETS, or a plain key followed by a ROLLUP of the rest. */
  private groupingSets(keys: readonly string[]): string {
    const list = keys.join(', ');
    switch (this.random.int(0, 3)) {
      case 0:
        return `ROLLUP (${list})`;
      case 1:
        return `CUBE (${list})`;
      case 2:
        return `GROUPING SETS (${keys.map((key) => `(${key})`).join(', ')}, ())`;
      default:
        return keys.length > 1 ? `${keys[0] as string}, ROLLUP (${keys.slice(1).join(', ')})` : `GROUPING SETS ((${list}), (${list}))`;
    }
  }

  /** An aggregate, sometimes inside an expression (arithmetic, CASE, COALESCE). */
  private aggregateItem(): string {
    const random = this.random;
    const choice = random.int(0, 9);
    if (choice === 0) return `(count(*) ${random.pick(['+', '-', '*'])} ${random.int(1, 3)})`;
    if (choice === 1) return `(CASE WHEN count(*) > ${random.int(0, 4)} THEN 'many' ELSE 'few' END)`;
    if (choice === 2) return `COALESCE(${random.pick(['min', 'max'])}(${random.pick(this.table.columns.filter((c) => c.type === 'text' || c.type === 'int4' || c.type === 'date')).name}), NULL)`;
    return this.aggregate();
  }

  private aggregate(): string {
    const random = this.random;
    const choice = random.int(0, 11);
    const argument = (types: readonly ColumnType[], stableText: boolean) =>
      this.expressions.of(random.pick(types), random.int(0, 2), { stableText, mayFail: true }).sql;
    const fraction = () => random.pick(['0', '0.25', '0.5', '0.9', '1']);
    switch (choice) {
      case 6:
        return `${random.pick(['bool_and', 'bool_or', 'every'])}(${argument(['bool'], false)})`;
      case 7: {
        // Ordered by the value itself, or DISTINCT (sorted), so the concatenation is determined.
        const text = argument(['text'], true);
        return random.chance(0.5) ? `string_agg(${text}, ',' ORDER BY ${text}${random.pick(['', ' DESC'])})` : `string_agg(DISTINCT ${text}, '|')`;
      }
      case 8: {
        const fn = random.pick(['variance', 'var_samp', 'var_pop', 'stddev', 'stddev_samp', 'stddev_pop']);
        // Float rounding depends on the order rows are added in: floats are ordered by value.
        if (random.chance(0.3)) {
          const float = argument(['float8'], false);
          return `${fn}(${float} ORDER BY ${float})`;
        }
        return `${fn}(${argument(['int2', 'int4', 'int8', 'numeric'], false)})`;
      }
      case 9:
        return `percentile_cont(${fraction()}) WITHIN GROUP (ORDER BY ${argument(summableTypes, false)}${random.pick(['', ' DESC'])})`;
      case 10:
        return random.chance(0.5)
          ? `percentile_disc(${fraction()}) WITHIN GROUP (ORDER BY ${argument(minMaxTypes, true)}${random.pick(['', ' DESC'])})`
          : `mode() WITHIN GROUP (ORDER BY ${argument(minMaxTypes, true)}${random.pick(['', ' DESC'])})`;
      case 11: {
        const float = argument(['float8'], false);
        return `${random.pick(['sum', 'avg'])}(${float} ORDER BY ${float}${random.pick(['', ' DESC'])})`;
      }
      case 0:
        return 'count(*)';
      case 1:
        return `count(${argument(orderableTypes, false)})`;
      case 2:
        return `count(DISTINCT ${argument(orderableTypes, true)})`;
      case 3:
        return `sum(${argument(summableTypes, false)})`;
      case 4:
        return `avg(${argument(summableTypes, false)})`;
      default:
        return `${random.pick(['min', 'max'])}(${argument(minMaxTypes, true)})`;
    }
  }

  private having(): string {
    const random = this.random;
    if (random.chance(0.5)) return `count(*) ${random.pick(['>', '>=', '<', '='])} ${random.int(0, 5)}`;
    const type = random.pick(summableTypes);
    const argument = this.expressions.of(type, 1, { stableText: false }).sql;
    return `${random.pick(['sum', 'min', 'max'])}(${argument}) ${random.pick(['>', '<', '<>'])} ${random.int(-50, 50)}`;
  }

  /**
   * ORDER BY every output column, by position or by repeating the expression (mixed directions and
   * NULL placement), sometimes with LIMIT and OFFSET.
   */
  private orderBy(items: readonly string[]): string {
    const random = this.random;
    const byExpression = random.chance(0.3);
    const direction = () => `${random.pick(['', ' DESC', ' ASC'])}${random.pick(['', '', ' NULLS FIRST', ' NULLS LAST'])}`;
    const terms = items.map((item, index) => {
      if (!byExpression || isBareConstant(item)) return `${String(index + 1)}${direction()}`;
      return `${excludedOutputNameMatch(item) ? `${this.table.name}.${item}` : item}${direction()}`;
    });
    const limit = random.chance(0.6) ? ` LIMIT ${random.int(0, 20)}` : '';
    const offset = random.chance(0.2) ? ` OFFSET ${random.int(0, 10)}` : '';
    return ` ORDER BY ${terms.join(', ')}${limit}${offset}`;
  }
}
