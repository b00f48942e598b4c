/** Where config files are read from: a directory on disk, or a repository at a ref on GitHub. */
export interface ConfigSource {
  /** How messages name a file of this source (a path annotations can use, or owner/repo:path). */
  label(path: string): string;
  /** The file's text, or undefined when there is no such file. */
  readFile(path: string): Promise<string | undefined>;
  /** Names of the files directly in a directory, or undefined when there is no such directory. */
  listDirectory(path: string): Promise<string[] | undefined>;
}

/** Reads another repository's files (at its default branch), for `_extends`. */
export type RepositorySources = (owner: string, repo: string) => ConfigSource | undefined;

export const NATIVE_CONFIG_PATH = ".github/stagecoach.yml";
export const KARGO_CONFIG_DIR = ".github/stagecoach";
