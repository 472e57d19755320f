export {
  buildProfile,
  resolveProfileOptions,
  DEFAULT_STALE_AFTER_DAYS,
  ProfileInputError,
  type BuildProfileInput,
  type ProfileOptions,
} from './build-profile';
export {
  DEFAULT_SURVIVORSHIP_RULES,
  SURVIVORSHIP_STRATEGIES,
  type SurvivorshipRules,
  type SurvivorshipStrategy,
} from './survivorship';
export {
  screenTarget,
  summariseReasons,
  DEFAULT_STALE_SUPPRESSES,
  REASON_CATEGORY,
  existingCustomerCategory,
  possibleCustomerCategory,
  type Campaign,
  type CampaignKind,
  type ScreeningInput,
  type ScreeningOptions,
  type ScreeningResult,
} from './screening';
export { productKey } from './products';
