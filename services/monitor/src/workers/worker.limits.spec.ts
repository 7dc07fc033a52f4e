import { workerResourceLimits } from './worker.limits';

describe('workerResourceLimits', () => {
  it('caps a worker heap as the process flag caps the main thread, the last flag winning', () => {
    expect(workerResourceLimits(['--max-old-space-size=256'], '')).toEqual({ maxOldGenerationSizeMb: 256 });
    expect(workerResourceLimits(['--max_old_space_size=300'], '--max-old-space-size=200')).toEqual({
      maxOldGenerationSizeMb: 300,
    });
    expect(workerResourceLimits([], '--enable-source-maps --max-old-space-size=180')).toEqual({
      maxOldGenerationSizeMb: 180,
    });
  });

  it("leaves V8's default without a flag", () => {
    expect(workerResourceLimits(['--expose-gc'], '')).toBeUndefined();
  });
});
