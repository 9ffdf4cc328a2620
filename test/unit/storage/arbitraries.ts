/** fast-check generators of column values in their JS Value form, NULLs included. */
import fc from 'fast-check';
import type { DataType, Value } from '../../../storage/types.js';

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

export function valueArbitrary(type: DataType): fc.Arbitrary<Value> {
  const orNull = <T extends Value>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 6 });
  switch (type.layout) {
    case 'bool':
      return orNull(fc.boolean());
    case 'int16':
      return orNull(fc.integer({ min: -32768, max: 32767 }));
    case 'int32':
      return orNull(fc.oneof(fc.integer(), fc.integer({ min: -5, max: 5 }), fc.constantFrom(-(2 ** 31), 2 ** 31 - 1)));
    case 'int64':
      return orNull(
        fc.oneof(
          fc.bigInt({ min: int64Min, max: int64Max }),
          fc.bigInt({ min: -(2n ** 52n), max: 2n ** 52n }),
          fc.bigInt({ min: -1000n, max: 1000n }),
          fc.constantFrom(int64Min, int64Max, 2n ** 52n, -(2n ** 52n) - 1n),
        ),
      );
    case 'float32':
      return orNull(fc.float().map((v) => Math.fround(v)));
    case 'float64':
      return orNull(
        fc.oneof(
          fc.double(),
          fc.integer({ min: 1_600_000_000, max: 1_700_000_000 }).map((s) => s * 1e6),
          fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 2 ** 52, -(2 ** 52), 2 ** 53),
        ),
      );
    case 'string':
      return orNull(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('a', 'b', 'c', ''), fc.string({ unit: 'binary' })));
  }
}

