/**
 * A template that cannot be parsed or evaluated. `offset` is the character offset in the template
 * text where the problem is, so a caller can point at the step, the field and the position.
 */
export class ExpressionError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = "ExpressionError";
    this.offset = offset;
  }
}
