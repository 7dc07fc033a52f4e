import { compareCodePoints } from '../drift/binning.kernel';
import { asCategory, isMissing } from '../drift/sample.values';
import type { RawValue } from '../types';

/** Distinct categories counted one by one; the rest are counted together as {@link OTHER_CATEGORY}. */
export const DEFAULT_CATEGORY_CAP = 1000;
export const OTHER_CATEGORY = '__other__';

export interface CategoricalSummaryOptions {
  categoryCap?: number;
}

export interface CategoricalSummaryJSON {
  kind: 'categorical';
  categoryCap: number;
  missing: number;
  /** Categories kept (code-point order) and their counts. */
  category: string[];
  count: number[];
  /** Values of the categories that were not kept. */
  other: number;
}

/** FNV-1a over UTF-16 code units: a fixed, seedless order in which categories are kept. */
function categoryHash(label: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Order in which categories are kept: by hash, ties by code point. */
function keptBefore(a: string, hashA: number, b: string, hashB: number): number {
  return hashA - hashB || compareCodePoints(a, b);
}

/**
 * Mergeable counts per category with a cap on distinct categories. Which categories are kept is
 * decided by a fixed hash order (the `categoryCap` lowest hashes seen, as in a bottom-k sketch), not
 * by arrival, so a merge is exact, associative and commutative and equals the summary of the
 * concatenated stream: a category kept in the union is kept, with its full count, in every part.
 */
export class CategoricalSummary {
  readonly categoryCap: number;
  private counts = new Map<string, number>();
  private otherCount = 0;
  private missingCount = 0;
  /** Hash of each kept category. */
  private hashes = new Map<string, number>();
  /** The last kept category in hash order once some category was left out, else null. */
  private threshold: string | null = null;
  private thresholdHash = 0;

  constructor(options: CategoricalSummaryOptions = {}) {
    this.categoryCap = options.categoryCap ?? DEFAULT_CATEGORY_CAP;
  }

  get total(): number {
    return this.count + this.missingCount;
  }

  /** Present values (the sample size of the tests). */
  get count(): number {
    let sum = this.otherCount;
    for (const c of this.counts.values()) sum += c;
    return sum;
  }

  get missing(): number {
    return this.missingCount;
  }

  get other(): number {
    return this.otherCount;
  }

  /** The last kept category in hash order, or null when no category was ever left out. */
  get lastKept(): string | null {
    return this.threshold;
  }

  /** Counts of the kept categories. */
  get categoryCounts(): ReadonlyMap<string, number> {
    return this.counts;
  }

  update(value: RawValue): void {
    if (isMissing(value)) {
      this.missingCount++;
      return;
    }
    this.add(asCategory(value), 1);
  }

  merge(other: CategoricalSummary): void {
    if (other.categoryCap !== this.categoryCap)
      throw new Error('categorical summaries with different caps cannot be merged');
    this.missingCount += other.missingCount;
    this.otherCount += other.otherCount;
    for (const [label, count] of other.counts) this.add(label, count);
    if (other.threshold !== null) this.leaveOutAfter(other.threshold);
  }

  /** Whether a summary whose last kept category is `last` keeps `label` apart. */
  static keeps(label: string, last: string | null): boolean {
    return last === null || keptBefore(label, categoryHash(label), last, categoryHash(last)) <= 0;
  }

  toJSON(): CategoricalSummaryJSON {
    const category = [...this.counts.keys()].sort(compareCodePoints);
    return {
      kind: 'categorical',
      categoryCap: this.categoryCap,
      missing: this.missingCount,
      category,
      count: category.map((k) => this.counts.get(k) ?? 0),
      other: this.otherCount,
    };
  }

  static fromJSON(json: CategoricalSummaryJSON): CategoricalSummary {
    const summary = new CategoricalSummary({ categoryCap: json.categoryCap });
    summary.missingCount = json.missing;
    summary.otherCount = json.other;
    json.category.forEach((k, i) => {
      summary.counts.set(k, json.count[i]);
      summary.hashes.set(k, categoryHash(k));
    });
    if (json.other > 0) summary.setThreshold();
    return summary;
  }

  emptyLike(): CategoricalSummary {
    return new CategoricalSummary({ categoryCap: this.categoryCap });
  }

  private add(label: string, count: number): void {
    const known = this.counts.get(label);
    if (known !== undefined) {
      this.counts.set(label, known + count);
      return;
    }
    const hash = categoryHash(label);
    if (this.threshold !== null && keptBefore(label, hash, this.threshold, this.thresholdHash) > 0) {
      this.otherCount += count;
      return;
    }
    this.counts.set(label, count);
    this.hashes.set(label, hash);
    if (this.counts.size > this.categoryCap) {
      const last = this.lastInOrder();
      if (last !== null) this.leaveOut(last);
      this.setThreshold();
    }
  }

  private leaveOutAfter(last: string): void {
    const lastHash = categoryHash(last);
    for (const [label, hash] of [...this.hashes])
      if (keptBefore(label, hash, last, lastHash) > 0) this.leaveOut(label);
    this.setThreshold();
  }

  private leaveOut(label: string): void {
    this.otherCount += this.counts.get(label) ?? 0;
    this.counts.delete(label);
    this.hashes.delete(label);
  }

  private setThreshold(): void {
    this.threshold = this.lastInOrder();
    this.thresholdHash = this.threshold === null ? 0 : categoryHash(this.threshold);
  }

  private lastInOrder(): string | null {
    let last: string | null = null;
    let lastHash = 0;
    for (const [label, hash] of this.hashes) {
      if (last === null || keptBefore(label, hash, last, lastHash) > 0) {
        last = label;
        lastHash = hash;
      }
    }
    return last;
  }
}
