/**
 * Eventide's own typed AST: what the binder consumes. It is a thin, typed image of PostgreSQL's
 * raw parse tree (libpg-query), holding only what Eventide binds. Every node keeps `location`, the
 * 0-based offset in the whole query string, for error positions. Anything the converter does not
 * recognise becomes an `unsupported` node, refused at bind time with 0A000 naming it.
 */
export interface QualifiedName {
  readonly schema: string | null;
  readonly name: string;
  readonly location: number;
}

export interface TypeName {
  /** Last name part, lower-case (e.g. `int4`, `varchar`, `timestamptz`). */
  readonly name: string;
  readonly modifiers: readonly number[];
  readonly arrayBounds: number;
  readonly location: number;
}

export type LiteralValue =
  | { readonly kind: 'integer'; readonly text: string }
  | { readonly kind: 'float'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' };

export type Expr =
  | { readonly kind: 'column'; readonly parts: readonly string[]; readonly location: number }
  | { readonly kind: 'star'; readonly table: string | null; readonly location: number }
  | { readonly kind: 'literal'; readonly value: LiteralValue; readonly location: number }
  | { readonly kind: 'param'; readonly index: number; readonly location: number }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr; readonly location: number }
  | { readonly kind: 'unary'; readonly op: string; readonly operand: Expr; readonly location: number }
  | { readonly kind: 'and' | 'or'; readonly args: readonly Expr[]; readonly location: number }
  | { readonly kind: 'not'; readonly arg: Expr; readonly location: number }
  | { readonly kind: 'isNull'; readonly arg: Expr; readonly negated: boolean; readonly location: number }
  | { readonly kind: 'isBool'; readonly arg: Expr; readonly test: 'true' | 'false' | 'unknown'; readonly negated: boolean; readonly location: number }
  | { readonly kind: 'in'; readonly arg: Expr; readonly list: readonly Expr[]; readonly negated: boolean; readonly location: number }
  /** A row constructor, (a, b) or ROW(a, b): usable in comparisons and IN lists. */
  | { readonly kind: 'row'; readonly args: readonly Expr[]; readonly location: number }
  | { readonly kind: 'between'; readonly arg: Expr; readonly low: Expr; readonly high: Expr; readonly negated: boolean; readonly symmetric: boolean; readonly location: number }
  | { readonly kind: 'like'; readonly arg: Expr; readonly pattern: Expr; readonly negated: boolean; readonly caseInsensitive: boolean; readonly location: number }
  | { readonly kind: 'distinctFrom'; readonly left: Expr; readonly right: Expr; readonly negated: boolean; readonly location: number }
  | { readonly kind: 'cast'; readonly arg: Expr; readonly type: TypeName; readonly location: number }
  | { readonly kind: 'call'; readonly name: string; readonly schema: string | null; readonly args: readonly Expr[]; readonly star: boolean; readonly distinct: boolean; readonly filter: Expr | null; readonly hasOver: boolean; /** Absent or null without OVER. */ readonly over?: WindowSpec | null; readonly hasOrder: boolean; readonly location: number; readonly orderBy?: readonly SortItem[]; readonly withinGroup?: boolean; readonly argNames?: readonly (string | null)[] }
  | { readonly kind: 'case'; readonly operand: Expr | null; readonly whens: readonly { readonly when: Expr; readonly then: Expr }[]; readonly otherwise: Expr | null; readonly location: number }
  | { readonly kind: 'coalesce'; readonly args: readonly Expr[]; readonly location: number }
  | { readonly kind: 'nullif'; readonly left: Expr; readonly right: Expr; readonly location: number }
  | { readonly kind: 'minmax'; readonly op: 'greatest' | 'least'; readonly args: readonly Expr[]; readonly location: number }
  | { readonly kind: 'sqlFunction'; readonly name: string; readonly location: number }
  | { readonly kind: 'default'; readonly location: number }
  /** (SELECT ...) as a value, EXISTS (SELECT ...), x IN (SELECT ...), x op ANY/ALL (SELECT ...), or ARRAY(SELECT ...). */
  | { readonly kind: 'subquery'; readonly mode: 'scalar' | 'exists' | 'in' | 'any' | 'all' | 'array'; readonly op: string; readonly arg: Expr | null; readonly query: Query; readonly location: number }
  /** ARRAY[a, b, ...]. */
  | { readonly kind: 'array'; readonly elements: readonly Expr[]; readonly location: number }
  /** `x op ANY (array)` / `x op ALL (array)` over an array value (not a subquery). */
  | { readonly kind: 'arrayCompare'; readonly op: string; readonly all: boolean; readonly arg: Expr; readonly array: Expr; readonly location: number }
  /** `array[n]`: one element of a one-dimensional array. */
  | { readonly kind: 'subscript'; readonly arg: Expr; readonly index: Expr; readonly location: number }
  | { readonly kind: 'unsupported'; readonly what: string; readonly location: number };

/** OVER (...) or WINDOW name AS (...): `name` is the defined name (WINDOW) or the one referenced (OVER w). */
export interface WindowSpec {
  readonly name: string | null;
  /** OVER (w ORDER BY ...): the named window this one extends. */
  readonly refName: string | null;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortItem[];
  /** PostgreSQL's FRAMEOPTION_* bits; 0 for OVER w. */
  readonly frameOptions: number;
  readonly startOffset: Expr | null;
  readonly endOffset: Expr | null;
  readonly location: number;
}

export interface SelectTarget {
  readonly expr: Expr;
  readonly alias: string | null;
  readonly location: number;
}

/** One item of a GROUP BY clause with grouping sets; a rollup/cube element is a column list. */
export type GroupingItem =
  /** One grouping set: a plain GROUP BY item, `()`, or `(a, b)` inside GROUPING SETS. */
  | { readonly kind: 'set'; readonly exprs: readonly Expr[] }
  | { readonly kind: 'rollup' | 'cube'; readonly elements: readonly (readonly Expr[])[]; readonly location: number }
  | { readonly kind: 'sets'; readonly items: readonly GroupingItem[]; readonly location: number };

export interface SortItem {
  readonly expr: Expr;
  readonly descending: boolean;
  /** null = the default for the direction (NULLS LAST for ASC, FIRST for DESC). */
  readonly nullsFirst: boolean | null;
}

export type FromItem =
  | { readonly kind: 'table'; readonly name: QualifiedName; readonly alias: string | null; readonly columnAliases: readonly string[] }
  /** `lateral`: it may read the columns of the FROM items before it. */
  | { readonly kind: 'subquery'; readonly query: Query; readonly alias: string | null; readonly columnAliases: readonly string[]; readonly lateral: boolean; readonly location: number }
  /** A function call in FROM (generate_series(...) AS g(x)). */
  | { readonly kind: 'function'; readonly call: Extract<Expr, { kind: 'call' }>; readonly alias: string | null; readonly columnAliases: readonly string[]; readonly location: number }
  | {
      readonly kind: 'join';
      readonly joinType: 'inner' | 'left' | 'right' | 'full';
      readonly left: FromItem;
      readonly right: FromItem;
      /** ON condition; null for CROSS JOIN. */
      readonly condition: Expr | null;
      readonly using: readonly string[] | null;
      readonly natural: boolean;
      readonly location: number;
    }
  | { readonly kind: 'unsupported'; readonly what: string; readonly location: number };

export interface CommonTableExpr {
  readonly name: string;
  readonly columnAliases: readonly string[];
  readonly query: Query;
  /** Declared in WITH RECURSIVE: it may read itself in the second term of a UNION. */
  readonly recursive: boolean;
  readonly location: number;
}

export type Query =
  | {
      readonly kind: 'select';
      readonly distinct: boolean;
      readonly distinctOn: readonly Expr[] | null;
      readonly targets: readonly SelectTarget[];
      readonly from: readonly FromItem[];
      readonly where: Expr | null;
      readonly groupBy: readonly Expr[];
      /** The whole GROUP BY clause when it holds GROUPING SETS, ROLLUP or CUBE (else null). */
      readonly groupingSets?: readonly GroupingItem[] | null;
      /** GROUP BY DISTINCT: repeated grouping sets count once. */
      readonly groupByDistinct?: boolean;
      readonly having: Expr | null;
      readonly orderBy: readonly SortItem[];
      readonly limit: Expr | null;
      readonly offset: Expr | null;
      readonly unsupported: string | null;
      readonly with: readonly CommonTableExpr[];
      /** WINDOW w AS (...) definitions. */
      readonly windows: readonly WindowSpec[];
      readonly location: number;
    }
  | {
      readonly kind: 'setop';
      readonly op: 'union' | 'intersect' | 'except';
      readonly all: boolean;
      readonly left: Query;
      readonly right: Query;
      readonly orderBy: readonly SortItem[];
      readonly limit: Expr | null;
      readonly offset: Expr | null;
      readonly with: readonly CommonTableExpr[];
      readonly location: number;
    }
  | { readonly kind: 'values'; readonly rows: readonly (readonly Expr[])[]; readonly orderBy: readonly SortItem[]; readonly limit: Expr | null; readonly offset: Expr | null; readonly location: number }
  | { readonly kind: 'unsupported'; readonly what: string; readonly location: number };

export interface ColumnDefinition {
  readonly name: string;
  readonly type: TypeName;
  readonly notNull: boolean;
  readonly defaultExpr: Expr | null;
  /** The DEFAULT expression's own text, persisted in the catalog. */
  readonly defaultSql: string | null;
  readonly primaryKey: boolean;
  readonly unique: boolean;
  readonly location: number;
}

export type Statement =
  | { readonly kind: 'query'; readonly query: Query }
  | { readonly kind: 'insert'; readonly table: QualifiedName; readonly columns: readonly { readonly name: string; readonly location: number }[] | null; readonly source: Query | null; readonly returning: boolean }
  | {
      readonly kind: 'createTable';
      readonly table: QualifiedName;
      readonly ifNotExists: boolean;
      readonly columns: readonly ColumnDefinition[];
      readonly primaryKey: readonly string[] | null;
      readonly unique: readonly (readonly string[])[];
      readonly partitionBy: { readonly strategy: string; readonly columns: readonly string[]; readonly location: number } | null;
      readonly options: readonly { readonly name: string; readonly value: string; readonly location: number }[];
      readonly unsupported: string | null;
    }
  | { readonly kind: 'dropTable'; readonly tables: readonly QualifiedName[]; readonly ifExists: boolean }
  | { readonly kind: 'transaction'; readonly action: 'begin' | 'commit' | 'rollback' }
  | { readonly kind: 'set'; readonly name: string; readonly value: readonly string[] | null; readonly local: boolean }
  | { readonly kind: 'reset'; readonly name: string | null }
  | { readonly kind: 'show'; readonly name: string }
  | { readonly kind: 'explain'; readonly analyze: boolean; readonly verbose: boolean; readonly statement: Statement }
  | { readonly kind: 'checkpoint' }
  | { readonly kind: 'discard' }
  | CopyStatement
  | { readonly kind: 'unsupported'; readonly what: string; readonly location: number };

/** A COPY option as written: no argument (true), a word/string/number, a column list, or `*`. */
export type CopyOptionValue = true | string | readonly string[] | '*';

export interface CopyStatement {
  readonly kind: 'copy';
  /** The table, or null for COPY (query) TO. */
  readonly table: QualifiedName | null;
  readonly columns: readonly { readonly name: string; readonly location: number }[] | null;
  readonly query: Query | null;
  readonly from: boolean;
  /** A server file or program; null for STDIN / STDOUT. */
  readonly file: { readonly name: string; readonly program: boolean } | null;
  readonly options: readonly { readonly name: string; readonly value: CopyOptionValue; readonly location: number }[];
  readonly hasWhere: boolean;
}
