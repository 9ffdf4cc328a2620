/**
 * Generates the source of one kernel from a KernelPlan: one loop over the rows, every node a few
 * local constants per row, no branches (V8 turns none of these `&`/`|` forms into jumps, so the
 * loop runs at the same speed at any selectivity). Constants are read from the `args` parameter and
 * columns from `cols`; the text names slots only, so plans of one shape share one function.
 *
 * Booleans are carried as two 0/1 ints, t (is TRUE) and f (is FALSE); NULL is neither, which gives
 * SQL's three-valued AND/OR/NOT as plain bit operations. Values carry an `ok` (not NULL) int.
 * Checked arithmetic ORs a failure into `bad` for non-NULL rows; the kernel then returns -1 and the
 * caller hands the batch to the interpreter, which raises PostgreSQL's error.
 */
import type { Comparison } from './compare.js';
import { intRanges, type BoolNode, type KernelPlan, type Rep, type ValueNode } from './compile-plan.js';

/**
 * Which optional inputs a batch has: a selection, a validity array per column slot, and per text
 * slot whether it is dictionary-coded (then `cols` holds its codes and `dicts` its entries).
 */
export interface Variant {
  readonly selection: boolean;
  readonly validity: readonly boolean[];
  readonly dictionary: readonly boolean[];
}

export function variantKey(variant: Variant): string {
  return (variant.selection ? 's' : 'd') + variant.validity.map((v, slot) => (v ? 1 : 0) + (variant.dictionary[slot] === true ? 2 : 0)).join('');
}

/** A value in the loop: a JS expression (or the two halves of an int64) and its not-NULL int. */
interface ValueCode {
  readonly v: string;
  readonly hi: string;
  readonly ok: string;
}

interface BoolCode {
  readonly t: string;
  readonly f: string;
}

/** AND of 0/1 int expressions, dropping the constant `1`s. */
function both(a: string, b: string): string {
  if (a === '1') return b;
  if (b === '1') return a;
  return `(${a} & ${b})`;
}

export class SourceWriter {
  private readonly lines: string[] = [];
  /** Lines before the loop: lookup tables over dictionary entries. */
  private readonly setupLines: string[] = [];
  private next = 0;
  /** Each column is read once per row however often the expression names it. */
  private readonly reads = new Map<number, ValueCode>();
  private readonly oks = new Map<number, string>();

  constructor(private readonly variant: Variant) {}

  /** A fresh local holding `code`; returns its name. */
  local(code: string, prefix = 'x'): string {
    const name = `${prefix}${this.next++}`;
    this.lines.push(`    const ${name} = ${code};`);
    return name;
  }

  body(): string {
    return this.lines.join('\n');
  }

  setup(): string {
    return this.setupLines.join('\n');
  }

  private columnOk(slot: number): string {
    let ok = this.oks.get(slot);
    if (ok === undefined) {
      ok = this.variant.validity[slot] === true ? this.local(`m${slot}[i]`, 'o') : '1';
      this.oks.set(slot, ok);
    }
    return ok;
  }

  /**
   * `text-column op constants` on a dictionary-coded column: the comparison runs once per entry
   * before the loop (`result(s)` over entry `s`), and each row looks its code up.
   */
  private lookup(column: ValueNode, result: (entry: ValueCode) => string): { v: string; ok: string } | null {
    if (column.kind !== 'column' || this.variant.dictionary[column.slot] !== true) return null;
    const slot = column.slot;
    const table = `L${this.next++}`;
    this.setupLines.push(
      `  const ${table} = new Uint8Array(e${slot}.length);`,
      `  for (let e = 0; e < e${slot}.length; e++) {`,
      `    const s = e${slot}[e];`,
      `    ${table}[e] = ${result({ v: 's', hi: '', ok: '1' })};`,
      '  }',
    );
    const ok = this.columnOk(slot);
    return { v: this.local(`${table}[c${slot}[i]]`), ok };
  }

  value(node: ValueNode): ValueCode {
    switch (node.kind) {
      case 'column': {
        const known = this.reads.get(node.slot);
        if (known !== undefined) return known;
        const ok = this.columnOk(node.slot);
        const at = this.variant.dictionary[node.slot] === true ? `e${node.slot}[c${node.slot}[i]]` : `c${node.slot}[i]`;
        const read =
          node.rep === 'int64'
            ? { hi: this.local(`c${node.slot}[2 * i + 1]`), v: this.local(`c${node.slot}[2 * i] >>> 0`), ok }
            : { v: this.local(at), hi: '', ok };
        this.reads.set(node.slot, read);
        return read;
      }
      case 'constant':
        return node.rep === 'int64' ? { hi: `kh${node.slot}`, v: `k${node.slot}`, ok: `q${node.slot}` } : { v: `k${node.slot}`, hi: '', ok: `q${node.slot}` };
      case 'cast':
        return this.cast(node.from, node.rep, this.value(node.arg));
      case 'neg':
        return this.negate(node.type, node.rep, this.value(node.arg));
      case 'arith':
        return this.arithmetic(node, this.value(node.left), this.value(node.right));
    }
  }

  condition(node: BoolNode): BoolCode {
    switch (node.kind) {
      case 'compare': {
        const { v: c, ok } = this.compareLookup(node) ?? this.comparison(node);
        return { t: this.local(both(c, ok), 't'), f: this.local(both(`(${c} ^ 1)`, ok), 'f') };
      }
      case 'and':
      case 'or': {
        const parts = node.args.map((a) => this.condition(a));
        const join = (key: 't' | 'f', op: string) => this.local(parts.map((p) => p[key]).join(` ${op} `), key);
        return node.kind === 'and' ? { t: join('t', '&'), f: join('f', '|') } : { t: join('t', '|'), f: join('f', '&') };
      }
      case 'not': {
        const arg = this.condition(node.arg);
        return { t: arg.f, f: arg.t };
      }
      case 'isNull': {
        const arg = node.arg;
        const ok = isBoolNode(arg) ? this.local(this.okOf(this.condition(arg))) : this.value(arg).ok;
        const isNull = ok === '1' ? '0' : this.local(`${ok} ^ 1`, 't');
        const notNull = ok === '1' ? '1' : ok;
        return node.negated ? { t: notNull, f: isNull } : { t: isNull, f: notNull };
      }
      case 'isBool': {
        const arg = this.condition(node.arg);
        const hit = node.test === 'true' ? arg.t : node.test === 'false' ? arg.f : this.local(`${this.okOf(arg)} ^ 1`);
        const miss = this.local(`${hit} ^ 1`, 'f');
        return node.negated ? { t: miss, f: hit } : { t: hit, f: miss };
      }
      case 'in':
        return this.inList(node);
      case 'distinct': {
        const left = this.value(node.left);
        const right = this.value(node.right);
        const differs = compareCode('ne', node.rep, left, right);
        // Two NULLs are not distinct; one NULL is; two values are when they differ.
        const code = left.ok === '1' && right.ok === '1' ? differs : `(${left.ok} ^ ${right.ok}) | (${both(left.ok, right.ok)} & (${differs}))`;
        const distinct = this.local(code, 't');
        const other = this.local(`${distinct} ^ 1`, 'f');
        return node.negated ? { t: other, f: distinct } : { t: distinct, f: other };
      }
      case 'like': {
        // The matcher is a function argument; a NULL pattern's matcher is never asked (q = 0).
        const k = `k${node.matcher}`;
        const matched = (a: ValueCode) => `+${k}(${a.v})`;
        const looked = this.lookup(node.arg, matched);
        const arg = looked ?? this.value(node.arg);
        const m = looked !== null ? looked.v : this.local(matched(arg as ValueCode));
        const ok = both(arg.ok, `q${node.matcher}`);
        const hit = node.negated ? `(${m} ^ 1)` : m;
        const miss = node.negated ? m : `(${m} ^ 1)`;
        return { t: this.local(both(hit, ok), 't'), f: this.local(both(miss, ok), 'f') };
      }
      case 'truth': {
        const arg = this.value(node.arg);
        return { t: this.local(both(arg.v, arg.ok), 't'), f: this.local(both(`(${arg.v} ^ 1)`, arg.ok), 'f') };
      }
    }
  }

  private comparison(node: Extract<BoolNode, { kind: 'compare' }>): { v: string; ok: string } {
    const left = this.value(node.left);
    const right = this.value(node.right);
    return { v: this.local(compareCode(node.op, node.rep, left, right)), ok: both(left.ok, right.ok) };
  }

  private compareLookup(node: Extract<BoolNode, { kind: 'compare' }>): { v: string; ok: string } | null {
    if (node.right.kind === 'constant') {
      const k = this.value(node.right);
      const found = this.lookup(node.left, (s) => compareCode(node.op, node.rep, s, k));
      return found === null ? null : { v: found.v, ok: both(found.ok, k.ok) };
    }
    if (node.left.kind === 'constant') {
      const k = this.value(node.left);
      const found = this.lookup(node.right, (s) => compareCode(node.op, node.rep, k, s));
      return found === null ? null : { v: found.v, ok: both(found.ok, k.ok) };
    }
    return null;
  }

  private okOf(code: BoolCode): string {
    return `(${code.t} | ${code.f})`;
  }

  private inList(node: Extract<BoolNode, { kind: 'in' }>): BoolCode {
    const items = node.items.map((item) => this.value(item));
    const anyOf = (a: ValueCode) => items.map((item) => `((${compareCode('eq', node.rep, a, item)}) & ${item.ok})`).join(' | ');
    const looked = node.items.every((item) => item.kind === 'constant') ? this.lookup(node.arg, anyOf) : null;
    const arg = looked ?? this.value(node.arg);
    const any = looked !== null ? looked.v : this.local(anyOf(arg as ValueCode));
    // A NULL item makes a miss NULL rather than FALSE; it is the same for every row.
    const itemsOk = items.map((item) => item.ok).join(' & ');
    const hit = this.local(both(any, arg.ok), 't');
    const miss = this.local(both(both(`(${any} ^ 1)`, arg.ok), `(${itemsOk})`), 'f');
    return node.negated ? { t: miss, f: hit } : { t: hit, f: miss };
  }

  private cast(from: Rep, to: Rep, arg: ValueCode): ValueCode {
    if (from === 'int' && to === 'int64') return { hi: this.local(`${arg.v} >> 31`), v: this.local(`${arg.v} >>> 0`), ok: arg.ok };
    // One rounding of an exact sum, as Number(bigint) rounds.
    if (from === 'int64') return { v: this.local(`${arg.hi} * 4294967296 + ${arg.v}`), hi: '', ok: arg.ok };
    return arg; // int -> float: the same JS number
  }

  private negate(type: string, rep: Rep, arg: ValueCode): ValueCode {
    const v = this.local(`-${arg.v}`);
    const range = intRanges[type as keyof typeof intRanges];
    if (rep === 'int' && range !== undefined) this.fail(`+(${v} > ${range[1]})`, arg.ok);
    return { v, hi: '', ok: arg.ok };
  }

  private arithmetic(node: Extract<ValueNode, { kind: 'arith' }>, left: ValueCode, right: ValueCode): ValueCode {
    const ok = both(left.ok, right.ok);
    const x = left.v;
    const y = right.v;
    const symbol = { add: '+', sub: '-', mul: '*', div: '/' }[node.op];
    if (node.rep === 'int') {
      const [min, max] = intRanges[node.type as keyof typeof intRanges] as readonly [number, number];
      const v = this.local(node.op === 'div' ? `Math.trunc(${x} / ${y})` : `${x} ${symbol} ${y}`);
      // A product beyond 2^53 is inexact but far outside every integer range, so it still fails.
      const zero = node.op === 'div' ? `(${y} === 0) | ` : '';
      this.fail(`${zero}(${v} < ${min}) | (${v} > ${max})`, ok);
      return { v, hi: '', ok };
    }
    const raw = `${x} ${symbol} ${y}`;
    const v = this.local(node.type === 'float4' ? `Math.fround(${raw})` : raw);
    // The interpreter's checks: overflow to infinity from finite operands, underflow to zero.
    const finite = (e: string) => `(${e} - ${e} === 0)`;
    this.fail(`(${v} - ${v} !== 0) & ${finite(x)} & ${finite(y)}`, ok);
    if (node.op === 'mul') this.fail(`(${v} === 0) & (${x} !== 0) & (${y} !== 0)`, ok);
    if (node.op === 'div') this.fail(`(${y} === 0) | ((${v} === 0) & (${x} !== 0) & ${finite(y)})`, ok);
    return { v, hi: '', ok };
  }

  /** Marks the batch for the interpreter when `condition` holds on a non-NULL row. */
  private fail(condition: string, ok: string): void {
    this.lines.push(`    bad |= ${both(`(${condition})`, ok)};`);
  }
}

function isBoolNode(node: ValueNode | BoolNode): node is BoolNode {
  return !['column', 'constant', 'arith', 'neg', 'cast'].includes(node.kind);
}

/** A 0/1 int expression comparing two non-NULL values held as `rep`. */
export function compareCode(op: Comparison, rep: Rep, a: ValueCode, b: ValueCode): string {
  const x = a.v;
  const y = b.v;
  if (rep === 'int64') {
    const [h, k] = [a.hi, b.hi];
    switch (op) {
      case 'eq':
        return `(${h} === ${k}) & (${x} === ${y})`;
      case 'ne':
        return `(${h} !== ${k}) | (${x} !== ${y})`;
      case 'lt':
        return `(${h} < ${k}) | ((${h} === ${k}) & (${x} < ${y}))`;
      case 'le':
        return `(${h} < ${k}) | ((${h} === ${k}) & (${x} <= ${y}))`;
      case 'gt':
        return `(${h} > ${k}) | ((${h} === ${k}) & (${x} > ${y}))`;
      case 'ge':
        return `(${h} > ${k}) | ((${h} === ${k}) & (${x} >= ${y}))`;
    }
  }
  if (rep === 'float') {
    // PostgreSQL's float order: NaN equals NaN and sorts above every other value.
    switch (op) {
      case 'eq':
        return `(${x} === ${y}) | ((${x} !== ${x}) & (${y} !== ${y}))`;
      case 'ne':
        return `((${x} === ${y}) | ((${x} !== ${x}) & (${y} !== ${y}))) ^ 1`;
      case 'lt':
        return `(${x} < ${y}) | ((${x} === ${x}) & (${y} !== ${y}))`;
      case 'le':
        return `(${x} <= ${y}) | (${y} !== ${y})`;
      case 'gt':
        return `(${x} > ${y}) | ((${x} !== ${x}) & (${y} === ${y}))`;
      case 'ge':
        return `(${x} >= ${y}) | (${x} !== ${x})`;
    }
  }
  const symbol = { eq: '===', ne: '!==', lt: '<', le: '<=', gt: '>', ge: '>=' }[op];
  return `+(${x} ${symbol} ${y})`;
}

/** Local constants before the loop: each column's arrays and each constant's value and not-NULL flag. */
export function preamble(plan: KernelPlan<unknown>, variant: Variant): string {
  const lines: string[] = [];
  plan.columns.forEach((_c, slot) => {
    lines.push(`  const c${slot} = cols[${slot}];`);
    if (variant.dictionary[slot] === true) lines.push(`  const e${slot} = dicts[${slot}];`);
    if (variant.validity[slot] === true) lines.push(`  const m${slot} = valids[${slot}];`);
  });
  plan.constants.forEach((c, slot) => {
    if (c.rep === 'int64') lines.push(`  const kh${slot} = args[${3 * slot}];`);
    lines.push(`  const k${slot} = args[${3 * slot + 1}];`, `  const q${slot} = args[${3 * slot + 2}];`);
  });
  return lines.join('\n');
}

/**
 * The source of a predicate kernel `(n, sel, out, cols, valids, dicts, args) -> count`: the indexes of
 * the rows where the predicate is TRUE go to `out` (ascending); -1 when a row needs the interpreter.
 */
export function predicateSource(plan: KernelPlan<BoolNode>, variant: Variant): string {
  const writer = new SourceWriter(variant);
  const result = writer.condition(plan.root);
  return [
    "'use strict';",
    preamble(plan, variant),
    writer.setup(),
    '  let k = 0;',
    '  let bad = 0;',
    '  for (let j = 0; j < n; j++) {',
    `    const i = ${variant.selection ? 'sel[j]' : 'j'};`,
    writer.body(),
    // Branch-free: every row is written, and the count moves only past the ones that pass.
    '    out[k] = i;',
    `    k += ${result.t};`,
    '  }',
    '  return bad === 0 ? k : -1;',
  ].join('\n');
}
