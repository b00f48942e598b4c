import { isIP } from "node:net";

type Bytes = readonly number[];

/** An address range that is not the public internet, and what it is (named in refusals). */
interface Range {
  bytes: Bytes;
  bits: number;
  kind: string;
}

// IANA's special-purpose registries (IPv4 and IPv6): every range that is not globally reachable.
const IPV4_RANGES = ranges([
  ["0.0.0.0/8", "this network"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "carrier-grade NAT"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local, where cloud metadata lives"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "IETF protocol assignments"],
  ["192.0.2.0/24", "documentation"],
  ["192.88.99.0/24", "6to4 relay anycast"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "benchmarking"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved or broadcast"],
]);

const IPV6_RANGES = ranges([
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  // RFC 8215 local-use NAT64 embeds IPv4 at a place that depends on the operator's prefix length; it is never public.
  ["64:ff9b:1::/48", "local-use NAT64"],
  ["100::/64", "discard"],
  ["2001:2::/48", "benchmarking"],
  ["2001:10::/28", "ORCHID"],
  ["2001:20::/28", "ORCHIDv2"],
  ["2001:db8::/32", "documentation"],
  ["3fff::/20", "documentation"],
  ["5f00::/16", "segment routing"],
  ["fc00::/7", "unique local"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "site-local"],
  ["ff00::/8", "multicast"],
]);

/**
 * IPv6 ranges that carry an IPv4 address: a packet to one of these ends up at (or is translated to)
 * that IPv4 address, so the IPv4 address is what gets classified. `at` is the byte offset of the
 * IPv4 address; Teredo stores its client address inverted.
 */
const EMBEDDING_RANGES: { range: Range; at: number; inverted?: boolean }[] = [
  { range: range("::ffff:0:0/96", "IPv4-mapped"), at: 12 },
  { range: range("::ffff:0:0:0/96", "IPv4-translated"), at: 12 },
  { range: range("::/96", "IPv4-compatible"), at: 12 },
  { range: range("64:ff9b::/96", "NAT64"), at: 12 },
  { range: range("2002::/16", "6to4"), at: 2 },
  { range: range("2001::/32", "Teredo server"), at: 4 },
  { range: range("2001::/32", "Teredo client"), at: 12, inverted: true },
];

/**
 * Why an address is not on the public internet (`"loopback"`, `"NAT64 127.0.0.1 (loopback)"`),
 * or undefined when it is. IPv6 is read in every spelling (`::ffff:7f00:1`, `::ffff:127.0.0.1`,
 * `0:0:0:0:0:ffff:7f00:1`); IPv4 embedded in IPv6 is decoded and classified itself. Anything that
 * does not parse as an address counts as non-public.
 */
export function classifyAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4) return matchRange(ipv4Bytes(address), IPV4_RANGES);
  if (family !== 6) return "not an IP address";
  const bytes = ipv6Bytes(address);
  if (!bytes) return "not an IPv6 address the URL standard accepts";
  const own = matchRange(bytes, IPV6_RANGES);
  if (own) return own;
  for (const { range: embedding, at, inverted } of EMBEDDING_RANGES) {
    if (!inRange(bytes, embedding)) continue;
    const ipv4 = bytes.slice(at, at + 4).map((b) => (inverted ? b ^ 0xff : b));
    const kind = matchRange(ipv4, IPV4_RANGES);
    if (kind) return `${embedding.kind} ${ipv4.join(".")} (${kind})`;
  }
  return undefined;
}

/** True when an address is loopback, link-local, private or otherwise not on the public internet. */
export function isNonPublicAddress(address: string): boolean {
  return classifyAddress(address) !== undefined;
}

function matchRange(bytes: Bytes, table: readonly Range[]): string | undefined {
  return table.find((r) => inRange(bytes, r))?.kind;
}

function inRange(bytes: Bytes, r: Range): boolean {
  for (let bit = 0; bit < r.bits; bit += 8) {
    const mask = (0xff << (8 - Math.min(8, r.bits - bit))) & 0xff;
    if (((bytes[bit / 8] ?? 0) & mask) !== ((r.bytes[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

function ipv4Bytes(address: string): Bytes {
  return address.split(".").map(Number);
}

/**
 * The 16 bytes of an IPv6 address. The WHATWG URL parser (what undici and every request here use)
 * reads it first, so the bytes are the ones a connection would use, and its serialisation (hex
 * groups, one `::`) is all that is left to expand.
 */
function ipv6Bytes(address: string): Bytes | undefined {
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head = "", tail] = canonical.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...new Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

function range(cidr: string, kind: string): Range {
  const [address = "", bits = ""] = cidr.split("/");
  const bytes = isIP(address) === 4 ? ipv4Bytes(address) : ipv6Bytes(address);
  if (!bytes) throw new Error(`bad range ${cidr}`);
  return { bytes, bits: Number(bits), kind };
}

function ranges(table: [string, string][]): Range[] {
  return table.map(([cidr, kind]) => range(cidr, kind));
}
