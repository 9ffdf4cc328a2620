/**
 * Set-returning functions: the rows one argument value expands into. unnest gives an array's
 * elements (NULLs included); jsonb_array_elements(_text) an array's elements, jsonb_object_keys
 * an object's keys and jsonb_each(_text) its key/value pairs, in jsonb's key order, with
 * PostgreSQL's 22023 errors for a document of the wrong shape.
 */
import { decodeArray } from '../../storage/array-value.js';
import { DbError } from '../../storage/errors.js';
import { jsonbChildren, jsonbTypeOf } from '../../storage/jsonb-value.js';
import { elementType, Types, type DataType, type Value } from '../../storage/types.js';
import type { SetFunction } from '../logical-plan.js';
import { jsonbAsText } from './jsonb-access.js';

/** The output column types of a set function over an argument of `argType`. */
export function setFunctionColumns(fn: SetFunction, argType: DataType): { name: string; type: DataType }[] {
  switch (fn) {
    case 'unnest':
      return [{ name: 'unnest', type: elementType(argType) ?? Types.unknown }];
    case 'jsonb_array_elements':
      return [{ name: 'value', type: Types.jsonb }];
    case 'jsonb_array_elements_text':
      return [{ name: 'value', type: Types.text }];
    case 'jsonb_object_keys':
      return [{ name: 'jsonb_object_keys', type: Types.text }];
    case 'jsonb_each':
      return [{ name: 'key', type: Types.text }, { name: 'value', type: Types.jsonb }];
    case 'jsonb_each_text':
      return [{ name: 'key', type: Types.text }, { name: 'value', type: Types.text }];
  }
}

function kindName(document: string): string {
  const kind = jsonbTypeOf(document);
  return kind === 'object' ? 'an object' : kind === 'array' ? 'an array' : 'a scalar';
}

/** The rows (one value per output column) of `fn` over one non-null argument value. */
export function expandSetFunction(fn: SetFunction, argType: DataType, value: Value): Value[][] {
  if (fn === 'unnest') return decodeArray(value as string, elementType(argType) as DataType).map((v) => [v]);
  const document = value as string;
  const parts = jsonbChildren(document);
  switch (fn) {
    case 'jsonb_array_elements':
    case 'jsonb_array_elements_text':
      if (parts === null || parts.keys !== null) throw new DbError('22023', `cannot extract elements from ${kindName(document)}`);
      return parts.values.map((v) => [fn === 'jsonb_array_elements' ? v : jsonbAsText(v)]);
    case 'jsonb_object_keys':
      if (parts === null || parts.keys === null) throw new DbError('22023', `cannot call jsonb_object_keys on ${kindName(document)}`);
      return parts.keys.map((k) => [k]);
    case 'jsonb_each':
    case 'jsonb_each_text':
      if (parts === null || parts.keys === null) throw new DbError('22023', `cannot call ${fn} on a non-object`);
      return parts.keys.map((k, i) => [k, fn === 'jsonb_each' ? (parts.values[i] as string) : jsonbAsText(parts.values[i] as string)]);
  }
}
