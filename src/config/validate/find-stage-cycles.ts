/**
 * Strongly connected groups of stages (Tarjan): every group of two or more, or a stage that is
 * its own upstream, is a cycle. Each cycle is returned as a path that starts and ends on the
 * same stage, in upstream order, so a message can show it.
 */
export function findStageCycles(upstreams: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];

  const visit = (stage: string): void => {
    index.set(stage, counter);
    low.set(stage, counter);
    counter += 1;
    stack.push(stage);
    onStack.add(stage);
    for (const next of upstreams.get(stage) ?? []) {
      if (!upstreams.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(stage, Math.min(low.get(stage) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(stage, Math.min(low.get(stage) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(stage) !== index.get(stage)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== stage);
    const selfLoop = group.length === 1 && (upstreams.get(stage) ?? []).includes(stage);
    if (group.length > 1 || selfLoop) groups.push(cyclePath(group, upstreams));
  };

  for (const stage of upstreams.keys()) if (!index.has(stage)) visit(stage);
  return groups;
}

/** The shortest walk from the group's first stage (by name) back to itself, along upstream edges. */
function cyclePath(group: string[], upstreams: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(group);
  const start = [...group].sort()[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i += 1) {
    const current = queue[i] as string;
    for (const next of [...(upstreams.get(current) ?? [])].sort()) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: string | undefined = current; at !== undefined && at !== start; at = cameFrom.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, current);
        queue.push(next);
      }
    }
  }
  return [...group, group[0] as string];
}
