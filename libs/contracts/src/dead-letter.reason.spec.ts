import { deadLetterReasonOf } from './dead-letter.reason';
import { decodeEvent, validatePredictionEvent } from './event.validator';

describe('deadLetterReasonOf', () => {
  it('names what decodeEvent and the consumer give as reasons', () => {
    const reasonOf = (raw: Buffer | null) => {
      const decoded = decodeEvent(raw, validatePredictionEvent);
      if (decoded.ok) throw new Error('decoded');
      return deadLetterReasonOf(decoded.errors);
    };
    expect(reasonOf(null)).toBe('tombstone');
    expect(reasonOf(Buffer.from('{"eventId": '))).toBe('malformed_json');
    expect(reasonOf(Buffer.from('{"eventId": "e1"}'))).toBe('invalid_event');
    expect(deadLetterReasonOf(['handler failed: boom'])).toBe('handler_failed');
  });
});
