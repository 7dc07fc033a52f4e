/**
 * What a batch may do given the partition's offset stored in Postgres. Pure; the consumer calls it
 * with the row lock held, so the answer cannot change before the transaction commits.
 */
export type FenceDecision =
  { kind: 'process'; from: bigint } | { kind: 'skip' } | { kind: 'seek'; offset: string };

export interface FenceInput {
  /** Next offset stored for the partition, null if none. */
  stored: string | null;
  /** Offset the batch was fetched from. */
  fetchedOffset: string;
  /** Offset of the last record in the batch. */
  lastOffset: string;
  /** True when the consumer already sought to `stored` and the broker still answered from further on. */
  seekAlreadyTried: boolean;
}

export function decideFence(input: FenceInput): FenceDecision {
  if (input.stored === null) return { kind: 'process', from: BigInt(input.fetchedOffset) };
  const stored = BigInt(input.stored);
  if (BigInt(input.lastOffset) < stored) return { kind: 'skip' };
  if (BigInt(input.fetchedOffset) <= stored) return { kind: 'process', from: stored };
  // The broker position is past what Postgres holds: records would be lost. Go back, unless the
  // broker has already refused to (the records were deleted by retention).
  if (!input.seekAlreadyTried) return { kind: 'seek', offset: input.stored };
  return { kind: 'process', from: BigInt(input.fetchedOffset) };
}
