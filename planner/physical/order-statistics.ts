/**
 * Order statistics without sorting, for percentile_cont / percentile_disc over numbers: the
 * values are laid out group by group (a counting sort on the group id) and each percentile
 * reads one or two k-th smallest values found by quickselect, O(n) per group instead of an
 * O(n log n) sort through a comparator.
 */

export interface GroupRuns {
  /** The values of group g are data[start[g], start[g + 1]). */
  readonly data: Float64Array;
  readonly start: Int32Array;
}

/**
 * The live values arranged by group; null when a value is NaN (its ordering, largest and equal to
 * itself, is left to the comparator path).
 */
export function groupRuns(values: ArrayLike<number>, groups: ArrayLike<number>, groupCount: number): GroupRuns | null {
  const n = groups.length;
  const start = new Int32Array(groupCount + 1);
  for (let i = 0; i < n; i++) start[(groups[i] as number) + 1]!++;
  for (let g = 0; g < groupCount; g++) start[g + 1]! += start[g] as number;
  const next = start.slice(0, groupCount);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) return null;
    data[next[groups[i] as number]!++] = v;
  }
  return { data, start };
}

/** The k-th smallest (0-based) of data[lo, hi); reorders that range. */
export function kthSmallest(data: Float64Array, lo: number, hi: number, k: number): number {
  let left = lo;
  let right = hi - 1;
  const target = lo + k;
  while (right > left) {
    // Median of three as the pivot keeps sorted and reversed input linear.
    const mid = (left + right) >>> 1;
    const a = data[left] as number;
    const b = data[mid] as number;
    const c = data[right] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((data[i] as number) < pivot) i++;
      while ((data[j] as number) > pivot) j--;
      if (i <= j) {
        const t = data[i] as number;
        data[i] = data[j] as number;
        data[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else return data[target] as number;
  }
  return data[target] as number;
}

/**
 * percentile_disc (continuous = false) or percentile_cont of one group's run, by PostgreSQL's
 * rules: disc takes the first value whose position reaches fraction * n; cont interpolates
 * between the values at floor and ceil of fraction * (n - 1). `descending` reads the order
 * backwards (WITHIN GROUP (ORDER BY x DESC)).
 */
export function percentileOfRun(runs: GroupRuns, group: number, fraction: number, continuous: boolean, descending: boolean): number {
  const lo = runs.start[group] as number;
  const hi = runs.start[group + 1] as number;
  const n = hi - lo;
  const at = (j: number) => kthSmallest(runs.data, lo, hi, descending ? n - 1 - j : j);
  if (!continuous) return at(Math.max(Math.ceil(fraction * n), 1) - 1);
  const position = fraction * (n - 1);
  const first = Math.floor(position);
  const second = Math.ceil(position);
  const low = at(first);
  if (first === second) return low;
  const high = at(second);
  return low + (position - first) * (high - low);
}
