import type { JsonValue, PaneSummary, SummaryFactory } from '../mergeable.types';

/** A test event: `id` tells events apart, `x` is an integer so sums are exact. */
export interface Probe {
  id: number;
  x: number;
}

/** Count and sum, updated in place like most stats accumulators. */
export class CountSum implements PaneSummary<Probe, CountSum> {
  constructor(
    public count = 0,
    public sum = 0,
  ) {}

  update(event: Probe): CountSum {
    this.count += 1;
    this.sum += event.x;
    return this;
  }

  merge(other: CountSum): CountSum {
    this.count += other.count;
    this.sum += other.sum;
    return this;
  }

  toJSON(): JsonValue {
    return [this.count, this.sum];
  }
}

const EDGES = [-10, 0, 10, 20];

/** Counts on fixed bins (−∞,−10), [−10,0), …, [20,∞); immutable, so every call returns a new one. */
export class Histogram implements PaneSummary<Probe, Histogram> {
  constructor(readonly counts: readonly number[] = EDGES.map(() => 0).concat(0)) {}

  static bin(x: number): number {
    const above = EDGES.findIndex((edge) => x < edge);
    return above === -1 ? EDGES.length : above;
  }

  update(event: Probe): Histogram {
    const bin = Histogram.bin(event.x);
    return new Histogram(this.counts.map((c, i) => (i === bin ? c + 1 : c)));
  }

  merge(other: Histogram): Histogram {
    return new Histogram(this.counts.map((c, i) => c + other.counts[i]!));
  }

  toJSON(): JsonValue {
    return [...this.counts];
  }
}

/** The ids of the events seen, as a sorted multiset: the strictest possible window check. */
export class IdBag implements PaneSummary<Probe, IdBag> {
  constructor(readonly ids: readonly number[] = []) {}

  update(event: Probe): IdBag {
    return new IdBag([...this.ids, event.id].sort((a, b) => a - b));
  }

  merge(other: IdBag): IdBag {
    return new IdBag([...this.ids, ...other.ids].sort((a, b) => a - b));
  }

  toJSON(): JsonValue {
    return [...this.ids];
  }
}

/** A record of summaries, as a monitor pane holds one per feature. */
export class ProbePane implements PaneSummary<Probe, ProbePane> {
  constructor(
    readonly moments = new CountSum(),
    public histogram = new Histogram(),
    public ids = new IdBag(),
  ) {}

  update(event: Probe): ProbePane {
    this.moments.update(event);
    this.histogram = this.histogram.update(event);
    this.ids = this.ids.update(event);
    return this;
  }

  merge(other: ProbePane): ProbePane {
    this.moments.merge(other.moments);
    this.histogram = this.histogram.merge(other.histogram);
    this.ids = this.ids.merge(other.ids);
    return this;
  }

  toJSON(): JsonValue {
    return { moments: this.moments.toJSON(), histogram: this.histogram.toJSON(), ids: this.ids.toJSON() };
  }
}

export const probePanes: SummaryFactory<ProbePane> = {
  empty: () => new ProbePane(),
  fromJSON: (json) => {
    const { moments, histogram, ids } = json as {
      moments: [number, number];
      histogram: number[];
      ids: number[];
    };
    return new ProbePane(new CountSum(moments[0], moments[1]), new Histogram(histogram), new IdBag(ids));
  },
};

/** What a ProbePane over `events` must hold, computed directly. */
export function probeSummaryOf(events: readonly Probe[]): JsonValue {
  const histogram = EDGES.map(() => 0).concat(0);
  for (const e of events) histogram[Histogram.bin(e.x)]! += 1;
  return {
    moments: [events.length, events.reduce((sum, e) => sum + e.x, 0)],
    histogram,
    ids: events.map((e) => e.id).sort((a, b) => a - b),
  };
}
