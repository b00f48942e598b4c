export { COMMANDS, commandSpec, commandsOnPromotionPullRequest } from "./command-table.js";
export { parseComment, MAX_COMMANDS_PER_COMMENT } from "./parse-comment.js";
export { formatHelp } from "./format-help.js";
export { authorize, type Actor, type Authorization, type RepoPermission, type StagePermissions } from "./authorize.js";
export { resolveFreight, MIN_ID_PREFIX, type FreightResolution } from "./resolve-freight.js";
export { pickFreightToPromote } from "./pick-freight-to-promote.js";
export { isIgnoredSender, type SenderFields } from "./is-ignored-sender.js";
export { freightLabel, toReference } from "./freight-words.js";
export type { Command, CommandDeps, CommandName, CommandOutcome, CommandRequest, CommandResult, CommandRun, CommandSpec, FollowUp, Permission, StageScope } from "./types.js";
