/** An error answered the way GitHub answers it: `{message, documentation_url, errors?}`. */
export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Array<Record<string, unknown>>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = { message: this.message, documentation_url: "https://docs.github.com/rest" };
    if (this.errors) body.errors = this.errors;
    return body;
  }
}

export const notFound = () => new GitHubHttpError(404, "Not Found");
export const unprocessable = (message: string, errors?: Array<Record<string, unknown>>) =>
  new GitHubHttpError(422, message, errors);
