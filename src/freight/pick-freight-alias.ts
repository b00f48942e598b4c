import { createHash } from "node:crypto";

// Our own short lists: 64 × 64 = 4,096 names before a numeric suffix is needed.
const ADJECTIVES = [
  "amber", "brave", "brisk", "calm", "cheeky", "clever", "cosmic", "crimson", "curly", "dapper", "eager", "fancy",
  "fuzzy", "gentle", "giddy", "glossy", "golden", "happy", "hasty", "humble", "icy", "jolly", "keen", "kind",
  "lively", "lucky", "mellow", "merry", "mighty", "misty", "nimble", "noble", "odd", "plucky", "polite", "proud",
  "quick", "quiet", "rapid", "rosy", "rusty", "shiny", "silent", "silver", "sleepy", "smooth", "snappy", "sneaky",
  "spicy", "steady", "stormy", "sunny", "swift", "tidy", "tiny", "trusty", "velvet", "vivid", "wacky", "wiggly",
  "witty", "woolly", "zany", "zesty",
];
const ANIMALS = [
  "aardvark", "alpaca", "badger", "bat", "beaver", "bison", "bobcat", "camel", "capybara", "cheetah", "cobra", "cougar",
  "coyote", "crane", "dingo", "dolphin", "donkey", "eagle", "egret", "falcon", "ferret", "finch", "gazelle", "gecko",
  "gibbon", "gopher", "heron", "hyena", "ibex", "iguana", "jackal", "jaguar", "koala", "lemur", "llama", "lynx",
  "magpie", "marmot", "meerkat", "mole", "moose", "narwhal", "newt", "ocelot", "okapi", "otter", "panda", "pelican",
  "puffin", "quail", "quokka", "raccoon", "raven", "salmon", "seal", "sloth", "tapir", "toucan", "tuatara", "turtle",
  "vole", "walrus", "wombat", "yak",
];

/**
 * An adjective-animal alias for a freight ID, unique among `taken` (the project's aliases). The
 * first choice is derived from the ID, so two replicas recording the same freight pick the same
 * alias; on a clash the next names in sequence are tried, then a numeric suffix.
 */
export function pickFreightAlias(freightId: string, taken: ReadonlySet<string>): string {
  const seed = createHash("sha256").update(freightId).digest().readUInt32BE(0);
  const total = ADJECTIVES.length * ANIMALS.length;
  for (let step = 0; step < total; step++) {
    const index = (seed + step) % total;
    const alias = `${ADJECTIVES[Math.floor(index / ANIMALS.length)]}-${ANIMALS[index % ANIMALS.length]}`;
    if (!taken.has(alias)) return alias;
  }
  const base = `${ADJECTIVES[Math.floor((seed % total) / ANIMALS.length)]}-${ANIMALS[seed % ANIMALS.length]}`;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
