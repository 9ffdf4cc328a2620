/**
 * The rows of the system relations, computed from the catalog when a statement is bound (a
 * prepared statement is bound again after DDL), so CREATE and DROP show at once.
 */
import type { Value } from '../../../storage/types.js';
import type { SystemContext, SystemRelation } from './system-catalog.js';
import { pgCatalogRows } from './pg-catalog-rows.js';
import { informationSchemaRows } from './information-schema-rows.js';
import { eventideRelationRows } from './eventide-relations.js';

/** The rows of a relation, each as values in column order. */
export function systemRelationRows(relation: SystemRelation, context: SystemContext): Value[][] {
  const producer = relation.schema === 'pg_catalog' ? (pgCatalogRows[relation.name] ?? eventideRelationRows[relation.name]) : informationSchemaRows[relation.name];
  const rows = producer === undefined ? [] : producer(context);
  return rows.map((row) => relation.columns.map((c) => row[c.name] ?? null));
}
