export { FreezeSchema, PromotionWindowSchema, PromotionWindowsSchema, MAX_WINDOWS, type Freeze, type PromotionWindow } from "./promotion-window-schema.js";
export { isPromotionAllowed, type PromotionVerdict } from "./is-promotion-allowed.js";
export { parseSchedule, MAX_SCHEDULE_LENGTH } from "./window-schedule.js";
