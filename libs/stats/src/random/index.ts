export { Random } from './random.generator';
export type { RandomState } from './random.generator';
