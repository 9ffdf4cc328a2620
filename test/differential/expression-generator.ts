/**
 * Typed random expressions over a generated table, within the SQL Eventide supports today.
 * Every expression carries a bound on its absolute value, so arithmetic never overflows its type,
 * and (for numeric) whether its display scale is fixed: where equal values may be printed
 * differently (1.5 and 1.50), DISTINCT, GROUP BY keys, min/max and ORDER BY ... LIMIT would pick an
 * arbitrary one, so those places ask for expressions with a fixed scale.
 */
import type { Random } from '../support/random.js';
import { baseDate, isoDate, textAlphabet, type Column, type ColumnType, type Table } from './table-generator.js';

export interface Expression {
  readonly sql: string;
  readonly type: ColumnType;
  /** Largest absolute value, for numbers. */
  readonly bound: number;
  /** numeric only: the display scale when the same for every row, or null when it depends on the data. */
  readonly scale: number | null;
}

export interface ExpressionOptions {
  /** Only expressions whose equal values print the same (see the file comment). */
  readonly stableText: boolean;
  /**
   * Whether the expression may fail on some rows (division by a column that holds 0). Only where
   * every row is evaluated on both sides: select lists without LIMIT and aggregate arguments, never
   * WHERE (PostgreSQL stops AND/OR early) nor ORDER BY ... LIMIT (it stops reading early).
   */
  readonly mayFail?: boolean;
}

const integerLimits: Partial<Record<ColumnType, number>> = { int2: 32_767, int4: 2_147_483_647, int8: 2 ** 53 };
// In PostgreSQL's order of promotion: int2 < int4 < int8 < numeric < float8.
const numberTypes: readonly ColumnType[] = ['int2', 'int4', 'int8', 'numeric', 'float8'];
const integerTypes: readonly ColumnType[] = ['int2', 'int4', 'int8'];

const isInteger = (type: ColumnType) => integerTypes.includes(type);
const isNumber = (type: ColumnType) => numberTypes.includes(type);

/** PostgreSQL's result type of + - * over two number types. */
function promote(left: ColumnType, right: ColumnType): ColumnType {
  const rank = (type: ColumnType) => numberTypes.indexOf(type);
  return rank(left) >= rank(right) ? left : right;
}

function fits(type: ColumnType, bound: number): boolean {
  if (type === 'float8') return bound < 1e9;
  if (type === 'numeric') return bound < 1e12;
  return bound <= (integerLimits[type] ?? 0) / 2;
}


export class ExpressionGenerator {
  constructor(
    private readonly random: Random,
    private readonly table: Table,
  ) {}

  columnsOf(type: ColumnType): readonly Column[] {
    return this.table.columns.filter((column) => column.type === type);
  }

  column(column: Column): Expression {
    return { sql: column.name, type: column.type, bound: column.bound, scale: column.type === 'numeric' ? column.scale : null };
  }

  /** An expression of the type asked for; depth limits nesting. */
  of(type: ColumnType, depth: number, options: ExpressionOptions): Expression {
    const columns = this.columnsOf(type);
    if (depth <= 0 || this.random.chance(0.35)) {
      if (columns.length > 0 && this.random.chance(0.8)) return this.column(this.random.pick(columns));
      return this.literal(type);
    }
    if (type === 'bool') return this.predicate(depth, options);
    if (isNumber(type)) return this.number(type, depth, options);
    if (type === 'text') return this.text(depth, options);
    if (type === 'date') return this.date(depth, options);
    return this.timestamp(depth, options);
  }

  literal(type: ColumnType): Expression {
    const random = this.random;
    switch (type) {
      case 'bool':
        return { sql: random.pick(['true', 'false']), type, bound: 1, scale: null };
      case 'int2':
      case 'int4':
      case 'int8': {
        const value = random.int(-20, 20);
        const sql = type === 'int4' ? (value < 0 ? `(${value})` : String(value)) : `${value}::${type}`;
        return { sql: type === 'int4' ? sql : `(${sql})`, type, bound: Math.abs(value), scale: null };
      }
      case 'float8': {
        const value = random.int(-80, 80) / 4;
        return { sql: `(${value})::float8`, type, bound: Math.abs(value), scale: null };
      }
      case 'numeric': {
        const scale = random.int(0, 3);
        const value = (random.int(-99_999, 99_999) / 10 ** scale).toFixed(scale);
        return { sql: `(${value})::numeric`, type, bound: Math.abs(Number(value)), scale };
      }
      case 'text':
        return { sql: `'${this.textValue()}'::text`, type, bound: 0, scale: null };
      case 'date':
        return { sql: `DATE '${isoDate(baseDate + random.int(-50, 50) * 86_400_000)}'`, type, bound: 0, scale: null };
      case 'timestamptz':
        return {
          sql: `TIMESTAMPTZ '${isoDate(baseDate + random.int(-50, 50) * 86_400_000)} ${String(random.int(0, 23)).padStart(2, '0')}:30:00+00'`,
          type,
          bound: 0,
          scale: null,
        };
    }
  }

  /** The text of a literal as written between quotes, in the forms PostgreSQL's input functions take. */
  untypedLiteral(type: ColumnType): string {
    const random = this.random;
    switch (type) {
      case 'bool':
        return random.pick(['true', 'f', 'yes', 'off', '1', '0', 'TRUE']);
      case 'int2':
      case 'int4':
      case 'int8':
        return random.pick(['', ' ', '+']) + String(random.int(-20, 20));
      case 'float8':
        return String(random.int(-80, 80) / 4);
      case 'numeric':
        return (random.int(-99_999, 99_999) / 100).toFixed(2);
      case 'text':
        return this.textValue();
      case 'date':
        return isoDate(baseDate + random.int(-50, 50) * 86_400_000);
      case 'timestamptz':
        return `${isoDate(baseDate + random.int(-50, 50) * 86_400_000)} ${String(random.int(0, 23)).padStart(2, '0')}:15:00${random.pick(['', '+00', '+01', '-05:30'])}`;
    }
  }

  textValue(): string {
    let text = '';
    for (let i = this.random.int(0, 3); i > 0; i--) text += this.random.pick(textAlphabet);
    return text;
  }

  private number(type: ColumnType, depth: number, options: ExpressionOptions): Expression {
    const random = this.random;
    for (let attempt = 0; attempt < 8; attempt++) {
      const choice = random.int(0, 9);
      if (choice <= 2) {
        // + or - of two operands whose promoted type is `type`.
        const left = this.of(type, depth - 1, options);
        const right = this.of(random.pick(this.narrowerOrEqual(type)), depth - 1, options);
        const bound = left.bound + right.bound;
        if (!fits(type, bound)) continue;
        const [a, b] = random.chance(0.5) ? [left, right] : [right, left];
        const scale = type === 'numeric' ? maxScale(a, b) : null;
        return { sql: `(${a.sql} ${random.pick(['+', '-'])} ${b.sql})`, type, bound, scale };
      }
      if (choice === 3) {
        // Multiplication by a small positive constant (a negative zero from 0 * -x would print "-0").
        const operand = this.of(type, depth - 1, options);
        const factor = random.int(1, 4);
        if (!fits(type, operand.bound * factor)) continue;
        const factorSql = type === 'int4' ? String(factor) : `${factor}::${type}`;
        return { sql: `(${operand.sql} * ${factorSql})`, type, bound: operand.bound * factor, scale: operand.scale };
      }
      if (choice === 4 && type !== 'float8') {
        // Product of two operands: exact for integers and numeric.
        const left = this.of(type, depth - 1, options);
        const right = this.of(type, depth - 1, options);
        const bound = left.bound * right.bound;
        if (!fits(type, bound)) continue;
        const scale = type === 'numeric' && left.scale !== null && right.scale !== null ? left.scale + right.scale : null;
        return { sql: `(${left.sql} * ${right.sql})`, type, bound, scale };
      }
      if (choice === 5 && isInteger(type) && options.mayFail === true && random.chance(0.4)) {
        // Division by a column: 22012 on both sides when a reached row holds 0, unless a CASE guards it.
        const divisors = this.columnsOf(type);
        if (divisors.length === 0) continue;
        const operand = this.of(type, depth - 1, options);
        const divisor = random.pick(divisors).name;
        const operator = random.pick(['/', '%']);
        if (random.chance(0.5)) return { sql: `(${operand.sql} ${operator} ${divisor})`, type, bound: operand.bound, scale: null };
        return { sql: `(CASE WHEN ${divisor} <> 0 THEN ${operand.sql} ${operator} ${divisor} END)`, type, bound: operand.bound, scale: null };
      }
      if (choice === 5 && isInteger(type)) {
        const operand = this.of(type, depth - 1, options);
        const divisor = random.pick([1, 2, 3, 7, -2]);
        const operator = random.pick(['/', '%']);
        const divisorSql = type === 'int4' ? `(${divisor})` : `(${divisor})::${type}`;
        return { sql: `(${operand.sql} ${operator} ${divisorSql})`, type, bound: operand.bound, scale: null };
      }
      if (choice === 5 && type === 'float8') {
        const operand = this.of(type, depth - 1, options);
        return { sql: `(${operand.sql} / ${random.pick([2, 4, 0.5])}::float8)`, type, bound: operand.bound * 2, scale: null };
      }
      if (choice === 5 && type === 'numeric' && !options.stableText) {
        const operand = this.of(type, depth - 1, options);
        return { sql: `(${operand.sql} / ${random.pick(['3', '2.5', '-7', '0.25'])})`, type, bound: operand.bound * 4, scale: null };
      }
      if (choice === 6) return this.caseOrCoalesce(type, depth, options);
      if (choice === 7) {
        // A cast from another number type.
        const from = random.pick(numberTypes.filter((each) => each !== type && !(type === 'float8' && each === 'numeric')));
        const operand = this.of(from, depth - 1, options);
        if (!fits(type, operand.bound + 1)) continue;
        const scale = type === 'numeric' ? (isInteger(from) ? 0 : null) : null;
        if (type === 'numeric' && scale === null && options.stableText) continue;
        const sql = random.chance(0.5) ? `${operand.sql}::${type}` : `CAST(${operand.sql} AS ${type})`;
        return { sql, type, bound: operand.bound + 1, scale };
      }
      if (choice === 8 && type === 'int4') {
        if (random.chance(0.5)) return { sql: `length(${this.of('text', depth - 1, options).sql})`, type, bound: 20, scale: null };
        const dates = [this.of('date', depth - 1, options), this.of('date', depth - 1, options)];
        return { sql: `(${dates[0]!.sql} - ${dates[1]!.sql})`, type, bound: 400, scale: null };
      }
      if (choice === 9 && type !== 'int2') {
        const operand = this.of(type, depth - 1, options);
        if (type === 'float8') continue; // -0 would print as "-0"
        return { sql: `(- ${operand.sql})`, type, bound: operand.bound, scale: operand.scale };
      }
    }
    return this.of(type, 0, options);
  }

  /**
   * Operand types that promote to `type`. A float8 never draws on numeric: 0.1 is not a binary
   * fraction, and sums of inexact floats depend on the order rows are added in.
   */
  private narrowerOrEqual(type: ColumnType): ColumnType[] {
    return numberTypes.filter((each) => promote(each, type) === type && !(type === 'float8' && each === 'numeric'));
  }

  private caseOrCoalesce(type: ColumnType, depth: number, options: ExpressionOptions): Expression {
    const first = this.of(type, depth - 1, options);
    const second = this.of(type, depth - 1, options);
    const bound = Math.max(first.bound, second.bound);
    const scale = type === 'numeric' && first.scale === second.scale ? first.scale : null;
    if (type === 'numeric' && scale === null && options.stableText) return first;
    const random = this.random;
    const kind = random.int(0, 3);
    if (kind === 0) return { sql: `COALESCE(${first.sql}, ${second.sql})`, type, bound, scale };
    if (kind === 3) {
      // The simple CASE form compares one operand with each WHEN value.
      const subject = random.pick(this.table.columns);
      const whens = [this.literal(subject.type).sql, this.literal(subject.type).sql];
      return { sql: `(CASE ${subject.name} WHEN ${whens[0]} THEN ${first.sql} WHEN ${whens[1]} THEN ${second.sql} ELSE ${first.sql} END)`, type, bound, scale };
    }
    const condition = this.predicate(depth - 1, options);
    if (kind === 1) return { sql: `(CASE WHEN ${condition.sql} THEN ${first.sql} ELSE ${second.sql} END)`, type, bound, scale };
    // A CASE without ELSE yields NULL; the NULL has the branch's type.
    return { sql: `(CASE WHEN ${condition.sql} THEN ${first.sql} END)`, type, bound, scale: first.scale };
  }

  private text(depth: number, options: ExpressionOptions): Expression {
    const random = this.random;
    const choice = random.int(0, 5);
    const operand = () => this.of('text', depth - 1, options);
    if (choice === 0) return { sql: `lower(${operand().sql})`, type: 'text', bound: 0, scale: null };
    if (choice === 1) return { sql: `upper(${operand().sql})`, type: 'text', bound: 0, scale: null };
    if (choice === 2) return { sql: `(${operand().sql} || ${operand().sql})`, type: 'text', bound: 0, scale: null };
    if (choice === 3) {
      const from = random.pick(['int2', 'int4', 'int8', 'bool', 'date'] as const);
      return { sql: `${this.of(from, depth - 1, options).sql}::text`, type: 'text', bound: 0, scale: null };
    }
    return this.caseOrCoalesce('text', depth, options);
  }

  private date(depth: number, options: ExpressionOptions): Expression {
    const random = this.random;
    const choice = random.int(0, 2);
    if (choice === 0) {
      const days = random.int(-40, 40);
      return { sql: `(${this.of('date', depth - 1, options).sql} ${days < 0 ? '-' : '+'} ${Math.abs(days)})`, type: 'date', bound: 0, scale: null };
    }
    if (choice === 1) return { sql: `${this.of('timestamptz', depth - 1, options).sql}::date`, type: 'date', bound: 0, scale: null };
    return this.caseOrCoalesce('date', depth, options);
  }

  private timestamp(depth: number, options: ExpressionOptions): Expression {
    if (this.random.chance(0.5)) {
      return { sql: `${this.of('date', depth - 1, options).sql}::timestamptz`, type: 'timestamptz', bound: 0, scale: null };
    }
    return this.caseOrCoalesce('timestamptz', depth, options);
  }

  /** A boolean expression: comparisons, AND/OR/NOT, IS [NOT] NULL, IN, BETWEEN, LIKE. */
  predicate(depth: number, options: ExpressionOptions): Expression {
    const random = this.random;
    const bool = (sql: string): Expression => ({ sql, type: 'bool', bound: 1, scale: null });
    const anyType = () => random.pick(this.table.columns).type;
    const choice = depth <= 0 ? random.pick([0, 1, 2, 3, 10]) : random.int(0, 13);
    switch (choice) {
      case 0:
      case 1: {
        const type = anyType();
        const left = this.of(type, depth - 1, options);
        const right = this.of(this.comparableWith(type), depth - 1, options);
        return bool(`(${left.sql} ${random.pick(['=', '<>', '<', '<=', '>', '>='])} ${right.sql})`);
      }
      case 2:
        return bool(`(${this.of(anyType(), depth - 1, options).sql} IS ${random.pick(['', 'NOT '])}NULL)`);
      case 3: {
        const columns = this.columnsOf('bool');
        if (columns.length > 0) return bool(this.random.pick(columns).name);
        return bool(random.pick(['true', 'false']));
      }
      case 4:
      case 5: {
        const operator = random.pick(['AND', 'OR']);
        return bool(`(${this.predicate(depth - 1, options).sql} ${operator} ${this.predicate(depth - 1, options).sql})`);
      }
      case 6:
        return bool(`(NOT ${this.predicate(depth - 1, options).sql})`);
      case 7: {
        const type = anyType();
        const items = Array.from({ length: random.int(1, 4) }, () => (random.chance(0.1) ? 'NULL' : this.literal(type).sql));
        return bool(`(${this.of(type, depth - 1, options).sql} ${random.pick(['IN', 'NOT IN'])} (${items.join(', ')}))`);
      }
      case 8: {
        const type = random.pick(this.table.columns.filter((column) => column.type !== 'bool')).type;
        const low = this.literal(type).sql;
        const high = this.literal(type).sql;
        return bool(`(${this.of(type, depth - 1, options).sql} ${random.pick(['BETWEEN', 'NOT BETWEEN'])} ${low} AND ${high})`);
      }
      case 10: {
        // A quoted literal of unknown type takes the other side's type, as in `d > '2024-01-05'`.
        const column = random.pick(this.table.columns);
        return bool(`(${column.name} ${random.pick(['=', '<>', '<', '>='])} '${this.untypedLiteral(column.type)}')`);
      }
      case 11: {
        const type = anyType();
        const operator = random.pick(['IS DISTINCT FROM', 'IS NOT DISTINCT FROM']);
        return bool(`(${this.of(type, depth - 1, options).sql} ${operator} ${this.of(type, depth - 1, options).sql})`);
      }
      case 12:
        return bool(`(${this.predicate(depth - 1, options).sql} IS ${random.pick(['TRUE', 'NOT TRUE', 'FALSE', 'NOT FALSE', 'UNKNOWN'])})`);
      default: {
        const operator = random.pick(['LIKE', 'NOT LIKE', 'ILIKE']);
        const letters = ['a', 'b', 'A', '_', '%', '%', 'é', 'É'];
        const pattern = Array.from({ length: random.int(1, 4) }, () => random.pick(letters)).join('');
        return bool(`(${this.of('text', depth - 1, options).sql} ${operator} '${pattern}')`);
      }
    }
  }

  /** A type that compares with `type` without an explicit cast (number types compare across). */
  private comparableWith(type: ColumnType): ColumnType {
    if (isNumber(type)) return this.random.pick(numberTypes);
    if (type === 'date' || type === 'timestamptz') return this.random.pick(['date', 'timestamptz'] as const);
    return type;
  }
}

function maxScale(a: Expression, b: Expression): number | null {
  if (a.type !== 'numeric' && b.type !== 'numeric') return null;
  const scaleOf = (each: Expression) => (each.type === 'numeric' ? each.scale : isInteger(each.type) ? 0 : null);
  const left = scaleOf(a);
  const right = scaleOf(b);
  return left === null || right === null ? null : Math.max(left, right);
}
