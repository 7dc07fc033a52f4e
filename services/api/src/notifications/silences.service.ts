import { Inject, Injectable } from '@nestjs/common';
import { matcherReasons, validateSilenceSpec } from '@driftline/contracts';
import type { SilenceRepository, SilenceState, SilenceWrite } from '@driftline/db';
import { ApiError, CLOCK, type Clock } from '@driftline/common';
import { mapSilence, type SilenceView } from './notification.mapper';
import { SILENCE_REPOSITORY } from './notifications.tokens';
import { page } from '../list.query';
import { checkedBody, invalid, sequenceCursor } from './spec.body';

export interface SilenceList {
  silences: SilenceView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const SILENCE_STATES: readonly SilenceState[] = ['pending', 'active', 'expired'];

const silenceNotFound = (silenceId: string) =>
  new ApiError(404, 'silence_not_found', `silence "${silenceId}" does not exist`, { silenceId });

/**
 * Silences, as Alertmanager keeps them: matchers and a time range; expiring one (DELETE) ends it
 * now, and expired silences stay listable with their state.
 */
@Injectable()
export class SilencesService {
  constructor(
    @Inject(SILENCE_REPOSITORY) private readonly silences: SilenceRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(body: unknown): Promise<SilenceView> {
    const now = this.clock.now();
    return mapSilence(await this.silences.create(this.checked(body, now)), now);
  }

  /** Changes a pending or active silence; an expired one is history (409). */
  async replace(silenceId: string, body: unknown): Promise<SilenceView> {
    const now = this.clock.now();
    const silence = this.checked(body, now);
    const stored = await this.silences.replace(silenceId, silence, new Date(now));
    if (stored !== null) return mapSilence(stored, now);
    if ((await this.silences.find(silenceId)) === null) throw silenceNotFound(silenceId);
    throw new ApiError(409, 'silence_expired', `silence "${silenceId}" has expired; create a new one`, {
      silenceId,
    });
  }

  /** Ends the silence now (a pending one never starts); expiring an expired one changes nothing. */
  async expire(silenceId: string): Promise<SilenceView> {
    const now = this.clock.now();
    const expired = await this.silences.expire(silenceId, new Date(now));
    if (expired === null) throw silenceNotFound(silenceId);
    return mapSilence(expired, now);
  }

  async get(silenceId: string): Promise<SilenceView> {
    const now = this.clock.now();
    const found = await this.silences.find(silenceId);
    if (found === null) throw silenceNotFound(silenceId);
    return mapSilence(found, now);
  }

  /** Newest first, `limit` after the page that gave `cursor`. */
  async list(state: string | undefined, cursor: string | undefined, limit: number): Promise<SilenceList> {
    if (state !== undefined && !SILENCE_STATES.includes(state as SilenceState)) {
      throw new ApiError(400, 'invalid_query', `state is one of ${SILENCE_STATES.join(', ')}`);
    }
    const now = this.clock.now();
    const found = await this.silences.page({
      state: state as SilenceState | undefined,
      now: new Date(now),
      beforeSeq: sequenceCursor(cursor),
      limit: limit + 1,
    });
    const { items, nextCursor } = page(found, limit, (last) => last.seq);
    return { silences: items.map((s) => mapSilence(s, now)), nextCursor };
  }

  private checked(body: unknown, now: number): SilenceWrite {
    const spec = checkedBody('silence', body, validateSilenceSpec);
    const startsAt = spec.startsAt === undefined ? now : Date.parse(spec.startsAt);
    const endsAt = Date.parse(spec.endsAt);
    const reasons = [
      ...matcherReasons(spec.matchers),
      ...(endsAt <= startsAt ? ['/endsAt must be after startsAt'] : []),
      ...(endsAt <= now ? ['/endsAt is in the past'] : []),
    ];
    if (reasons.length > 0) throw invalid('silence', reasons);
    return {
      matchers: spec.matchers,
      startsAt: new Date(startsAt),
      endsAt: new Date(endsAt),
      createdBy: spec.createdBy,
      comment: spec.comment,
    };
  }
}
