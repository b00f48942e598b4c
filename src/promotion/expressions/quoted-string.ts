/**
 * What `quote()` returns. Kargo's quote forces a string: a value that is exactly `${{ quote(x) }}`
 * becomes the string form of x, while inside longer text it reads with its quotes.
 */
export class QuotedString {
  constructor(
    readonly value: string,
    readonly quoted: string,
  ) {}
}
