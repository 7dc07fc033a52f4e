import { asCategory, isMissing, parseFinite } from '../drift/sample.values';
import { DEFAULT_DECISION_THRESHOLD, DEFAULT_POSITIVE_LABEL, ratioOrZero } from '../metrics/binary.metrics';
import type { BinaryMetrics, RawValue } from '../types';

/** Distinct scores counted exactly (rocAuc exact) before the summary keeps only a score histogram. */
export const DEFAULT_SCORE_VALUE_CAP = 256;
/** Fixed score bins on [0, 1] once there are more distinct scores than the cap. */
export const DEFAULT_SCORE_BINS = 1000;
const LOG_LOSS_CLIP = 1e-15;

export interface BinaryPerformanceOptions {
  positiveLabel?: string;
  /** Decision threshold on the score when no predicted label is given: positive when score >= it. */
  threshold?: number;
  scoreValueCap?: number;
  scoreBins?: number;
}

/** One labelled prediction: the true label, and a predicted label, a positive-class score, or both. */
export interface BinaryObservation {
  target: RawValue;
  prediction?: RawValue;
  score?: number | null;
}

export interface BinaryPerformanceJSON {
  kind: 'binary';
  positiveLabel: string;
  threshold: number;
  scoreValueCap: number;
  scoreBins: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  scored: number;
  logLossSum: number;
  brierSum: number;
  /** Distinct scores ascending with their positive and negative counts, while within the cap. */
  scores: { score: number[]; positive: number[]; negative: number[] } | null;
  /** Positive and negative counts per score bin, once the exact scores are dropped. */
  histogram: { positive: number[]; negative: number[] } | null;
}

/** Upper bound on |streamed - exact| for the sketched binary metrics. */
export interface BinaryMetricBounds {
  rocAuc: number | null;
}

/**
 * Mergeable binary-classification performance: confusion counts, sums for log loss and Brier,
 * and the scores by label: exact while there are at most `scoreValueCap` distinct scores (rocAuc is
 * then exact, Mann–Whitney form with midranks), else counts on `scoreBins` fixed bins of [0, 1],
 * where pairs in the same bin count as ties: |rocAuc - exact| <= sum_b pos_b neg_b / (2 P N).
 */
export class BinaryPerformanceSummary {
  readonly positiveLabel: string;
  readonly threshold: number;
  readonly scoreValueCap: number;
  readonly scoreBins: number;
  private confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  private scored = 0;
  private logLossSum = 0;
  private brierSum = 0;
  private exact: Map<number, [number, number]> | null = new Map();
  private histogram: { positive: number[]; negative: number[] } | null = null;

  constructor(options: BinaryPerformanceOptions = {}) {
    this.positiveLabel = options.positiveLabel ?? DEFAULT_POSITIVE_LABEL;
    this.threshold = options.threshold ?? DEFAULT_DECISION_THRESHOLD;
    this.scoreValueCap = options.scoreValueCap ?? DEFAULT_SCORE_VALUE_CAP;
    this.scoreBins = options.scoreBins ?? DEFAULT_SCORE_BINS;
  }

  get count(): number {
    const { tp, fp, fn, tn } = this.confusion;
    return tp + fp + fn + tn;
  }

  /** Skips an observation whose target is missing or that has neither a prediction nor a score. */
  update(observation: BinaryObservation): void {
    if (isMissing(observation.target)) return;
    const actual = asCategory(observation.target) === this.positiveLabel;
    const score =
      observation.score === undefined || observation.score === null ? null : parseFinite(observation.score);
    let predicted: boolean;
    if (observation.prediction !== undefined && !isMissing(observation.prediction)) {
      predicted = asCategory(observation.prediction) === this.positiveLabel;
    } else if (score !== null) {
      predicted = score >= this.threshold;
    } else {
      return;
    }
    const key = actual ? (predicted ? 'tp' : 'fn') : predicted ? 'fp' : 'tn';
    this.confusion[key]++;
    if (score === null) return;
    this.scored++;
    const y = actual ? 1 : 0;
    const p = Math.min(Math.max(score, LOG_LOSS_CLIP), 1 - LOG_LOSS_CLIP);
    this.logLossSum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
    this.brierSum += (score - y) ** 2;
    this.addScore(score, actual ? 1 : 0, actual ? 0 : 1);
  }

  merge(other: BinaryPerformanceSummary): void {
    if (
      other.positiveLabel !== this.positiveLabel ||
      other.threshold !== this.threshold ||
      other.scoreValueCap !== this.scoreValueCap ||
      other.scoreBins !== this.scoreBins
    )
      throw new Error('binary performance summaries with different settings cannot be merged');
    for (const k of ['tp', 'fp', 'fn', 'tn'] as const) this.confusion[k] += other.confusion[k];
    this.scored += other.scored;
    this.logLossSum += other.logLossSum;
    this.brierSum += other.brierSum;
    if (other.exact) for (const [s, [pos, neg]] of other.exact) this.addScore(s, pos, neg);
    else if (other.histogram) {
      const h = this.toHistogram();
      other.histogram.positive.forEach((c, i) => (h.positive[i] += c));
      other.histogram.negative.forEach((c, i) => (h.negative[i] += c));
    }
  }

  metrics(): BinaryMetrics {
    const { tp, fp, fn, tn } = this.confusion;
    const total = tp + fp + fn + tn;
    return {
      accuracy: ratioOrZero(tp + tn, total),
      precision: ratioOrZero(tp, tp + fp),
      recall: ratioOrZero(tp, tp + fn),
      f1: ratioOrZero(2 * tp, 2 * tp + fp + fn),
      rocAuc: this.rocAucInterval()?.estimate ?? null,
      logLoss: this.scored > 0 ? this.logLossSum / this.scored : null,
      brier: this.scored > 0 ? this.brierSum / this.scored : null,
      confusionMatrix: { tp, fp, fn, tn },
    };
  }

  bounds(): BinaryMetricBounds {
    return { rocAuc: this.rocAucInterval()?.bound ?? null };
  }

  toJSON(): BinaryPerformanceJSON {
    const scores = this.exact ? [...this.exact.keys()].sort((a, b) => a - b) : null;
    return {
      kind: 'binary',
      positiveLabel: this.positiveLabel,
      threshold: this.threshold,
      scoreValueCap: this.scoreValueCap,
      scoreBins: this.scoreBins,
      ...this.confusion,
      scored: this.scored,
      logLossSum: this.logLossSum,
      brierSum: this.brierSum,
      scores:
        scores && this.exact
          ? {
              score: scores,
              positive: scores.map((s) => this.exact?.get(s)?.[0] ?? 0),
              negative: scores.map((s) => this.exact?.get(s)?.[1] ?? 0),
            }
          : null,
      histogram: this.histogram
        ? { positive: [...this.histogram.positive], negative: [...this.histogram.negative] }
        : null,
    };
  }

  static fromJSON(json: BinaryPerformanceJSON): BinaryPerformanceSummary {
    const summary = new BinaryPerformanceSummary(json);
    summary.confusion = { tp: json.tp, fp: json.fp, fn: json.fn, tn: json.tn };
    summary.scored = json.scored;
    summary.logLossSum = json.logLossSum;
    summary.brierSum = json.brierSum;
    const scores = json.scores;
    summary.exact = scores
      ? new Map(scores.score.map((s, i) => [s, [scores.positive[i], scores.negative[i]]]))
      : null;
    summary.histogram = json.histogram
      ? { positive: [...json.histogram.positive], negative: [...json.histogram.negative] }
      : null;
    return summary;
  }

  emptyLike(): BinaryPerformanceSummary {
    return new BinaryPerformanceSummary(this);
  }

  private addScore(score: number, positive: number, negative: number): void {
    if (this.exact) {
      const known = this.exact.get(score) ?? [0, 0];
      this.exact.set(score, [known[0] + positive, known[1] + negative]);
      if (this.exact.size <= this.scoreValueCap) return;
      this.toHistogram();
      return;
    }
    const h = this.toHistogram();
    const bin = this.binOf(score);
    h.positive[bin] += positive;
    h.negative[bin] += negative;
  }

  /** Switches to (or returns) the histogram, moving the exact scores into it. */
  private toHistogram(): { positive: number[]; negative: number[] } {
    if (this.histogram) return this.histogram;
    const h = {
      positive: new Array<number>(this.scoreBins).fill(0),
      negative: new Array<number>(this.scoreBins).fill(0),
    };
    for (const [s, [pos, neg]] of this.exact ?? []) {
      h.positive[this.binOf(s)] += pos;
      h.negative[this.binOf(s)] += neg;
    }
    this.exact = null;
    this.histogram = h;
    return h;
  }

  private binOf(score: number): number {
    return Math.min(this.scoreBins - 1, Math.max(0, Math.floor(score * this.scoreBins)));
  }

  /** rocAuc = P(score+ > score-) + P(tie)/2 over cells of scores; pairs inside a bin may go either way. */
  private rocAucInterval(): { estimate: number; bound: number } | null {
    const cells: Array<[number, number]> = this.exact
      ? [...this.exact.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v)
      : (this.histogram?.positive.map((p, i) => [p, this.histogram?.negative[i] ?? 0]) ?? []);
    let positives = 0;
    let negatives = 0;
    for (const [p, n] of cells) {
      positives += p;
      negatives += n;
    }
    if (positives === 0 || negatives === 0) return null;
    let above = 0;
    let within = 0;
    let negativesBelow = 0;
    for (const [p, n] of cells) {
      above += p * negativesBelow;
      within += p * n;
      negativesBelow += n;
    }
    const pairs = positives * negatives;
    return { estimate: (above + within / 2) / pairs, bound: this.exact ? 0 : within / (2 * pairs) };
  }
}
