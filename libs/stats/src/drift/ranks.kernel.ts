/** Average ranks (1-based, ties get the mean of their ranks) and the size of every tie group. */
export interface RankedSample {
  ranks: Float64Array;
  tieSizes: number[];
}

/** Ranks as `scipy.stats.rankdata(values, method="average")`, with the tie group sizes it also reports. */
export function averageRanks(values: readonly number[]): RankedSample {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i]] = rank;
    tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}
