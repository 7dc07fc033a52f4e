export { CLOCK, systemClock, type Clock } from '@driftline/common';
