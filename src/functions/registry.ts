/**
 * The catalog of scalar functions Eventide implements (the planner's FunctionRegistry). Each
 * family lives in its own file and registers its definitions here.
 */
import type { FunctionRegistry, ScalarFunctionDef } from '../../planner/functions.js';
import { arrayFunctions, mergeSignatures } from './array-functions.js';
import { catalogFunctions } from './catalog-functions.js';
import { dateFunctions } from './date-functions.js';
import { jsonbBuildFunctions } from './jsonb-build-functions.js';
import { jsonbReadFunctions } from './jsonb-functions.js';
import { intervalFunctions } from './interval-functions.js';
import { mathFunctions } from './math-functions.js';
import { regexFunctions } from './regex-functions.js';
import { stringFunctions } from './string-functions.js';

export class FunctionCatalog implements FunctionRegistry {
  private readonly byName = new Map<string, ScalarFunctionDef>();

  constructor(definitions: readonly ScalarFunctionDef[]) {
    for (const def of definitions) {
      if (this.byName.has(def.name)) throw new Error(`function ${def.name} is defined twice`);
      this.byName.set(def.name, def);
    }
  }

  lookup(name: string): ScalarFunctionDef | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}

/** array_to_string is both Eventide's (arrays) and the catalog's (name[], oid[] ...): one definition. */
function withCatalogArrays(): ScalarFunctionDef[] {
  const shared = new Set(arrayFunctions.map((f) => f.name));
  const catalogShared = catalogFunctions.filter((f) => shared.has(f.name));
  return [
    ...catalogFunctions.filter((f) => !shared.has(f.name)),
    ...arrayFunctions.map((f) => {
      const other = catalogShared.find((c) => c.name === f.name);
      return other === undefined ? f : mergeSignatures(f, other);
    }),
  ];
}

export const builtinFunctions = new FunctionCatalog([
  ...stringFunctions, ...mathFunctions, ...dateFunctions, ...intervalFunctions, ...regexFunctions, ...jsonbReadFunctions,
  ...jsonbBuildFunctions, ...withCatalogArrays(),
]);
