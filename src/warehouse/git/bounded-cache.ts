/**
 * A map that forgets its oldest entries past `max`. Holds facts that never change for a key (what a
 * commit SHA changed, who wrote it), so repeated polls of a repository skip calls already made.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}
