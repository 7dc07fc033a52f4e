export { CLOCK, systemClock, type Clock } from '../../common/src/clock';
