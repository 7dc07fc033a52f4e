// jest-circus reads testTimeout from the global config only, so a project-level testTimeout is
// ignored; integration specs (broker start, consumer group joins) need far more than the 5 s default.
jest.setTimeout(180_000);
