export { discoverGitCommits, type DiscoverGitCommitsOptions } from "./discover-git-commits.js";
export { compilePathFilters, type PathFilter } from "./compile-path-filters.js";
export { displayRepoURL, gitHubRepositoryOf, parseGitRemote, type GitHubRepository, type GitRemote } from "./parse-git-url.js";
