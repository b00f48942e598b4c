export { compileSemverConstraint } from "./compile-semver-constraint.js";
export { compileTagFilters, type TagFilterOptions } from "./compile-tag-filters.js";
export { parseTagVersion } from "./parse-tag-version.js";
export { selectLexicalTags, selectNewestBuilds, selectSemverTags, type SemverSelection } from "./select-tags.js";
