import { sessionOptions } from './data-source.factory';

describe('sessionOptions', () => {
  it('sets each setting for the session, and nothing without settings', () => {
    expect(sessionOptions({ synchronous_commit: 'off', statement_timeout: '5s' })).toBe(
      '-c synchronous_commit=off -c statement_timeout=5s',
    );
    expect(sessionOptions({})).toBeUndefined();
  });

  it('refuses a name or value that would smuggle in another option', () => {
    expect(() => sessionOptions({ synchronous_commit: 'off -c fsync=off' })).toThrow(
      'not a Postgres setting: synchronous_commit=off -c fsync=off',
    );
    expect(() => sessionOptions({ 'fsync=off -c x': 'on' })).toThrow('not a Postgres setting');
    expect(() => sessionOptions({ synchronous_commit: '' })).toThrow('not a Postgres setting');
  });
});
