import { BIT_FUNCTIONS } from "./bit-functions.js";
import { COLLECTION_FUNCTIONS } from "./collection-functions.js";
import { CONVERSION_FUNCTIONS } from "./conversion-functions.js";
import { DATE_FUNCTIONS } from "./date-functions.js";
import type { FunctionTable } from "./evaluation.js";
import { NUMBER_FUNCTIONS } from "./number-functions.js";
import { STRING_FUNCTIONS } from "./string-functions.js";

/** Every expr-lang built-in that takes no predicate (those are in predicate-functions.ts). */
export const BUILTIN_FUNCTIONS: FunctionTable = {
  ...STRING_FUNCTIONS,
  ...NUMBER_FUNCTIONS,
  ...CONVERSION_FUNCTIONS,
  ...COLLECTION_FUNCTIONS,
  ...BIT_FUNCTIONS,
  ...DATE_FUNCTIONS,
};
