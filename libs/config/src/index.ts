export { loadConfig, loadConfigOrExit, ConfigError } from './config.loader';
export type {
  AuthConfig,
  DispatcherConfig,
  DriftlineConfig,
  NotifierConfig,
  ServiceName,
} from './config.loader';
export {
  ADMIN_KEY_MIN_LENGTH,
  ENVIRONMENT_VARIABLES,
  LOG_LEVELS,
  OFFSET_MISMATCH_POLICIES,
  SECRET_VARIABLES,
} from './env.variables';
export type { LogLevel, OffsetMismatchPolicy, VariableDoc } from './env.variables';
export { DRIFTLINE_CONFIG } from './config.tokens';
