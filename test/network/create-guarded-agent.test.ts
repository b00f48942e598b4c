import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fetch } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGuardedAgent } from "../../src/network/create-guarded-agent.js";
import { NonPublicAddressError } from "../../src/network/non-public-address-error.js";
import { promotionGuard } from "../../src/network/read-network-policy.js";

let server: Server;
let port = 0;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(`${request.headers.host} ${request.url}`);
    if (request.url === "/to-literal") return void response.writeHead(302, { location: `http://127.0.0.1:${port}/landed` }).end();
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => void (seen.length = 0));

const causeOf = (error: unknown) => (error as { cause?: unknown }).cause;

describe("createGuardedAgent", () => {
  it("refuses a literal and a name before any byte is sent, naming the host and port to allow", async () => {
    const agent = createGuardedAgent(promotionGuard({}));
    const literal = causeOf(await fetch(`http://127.0.0.1:${port}/`, { dispatcher: agent }).catch((e: unknown) => e));
    expect(literal).toBeInstanceOf(NonPublicAddressError);
    expect((literal as Error).message).toContain(`set STAGECOACH_ALLOW_PRIVATE_HOSTS=127.0.0.1:${port} to allow this host`);
    const name = causeOf(await fetch(`http://localhost:${port}/`, { dispatcher: agent }).catch((e: unknown) => e));
    expect((name as Error).message).toContain(`set STAGECOACH_ALLOW_PRIVATE_HOSTS=localhost:${port} to allow this host`);
    expect(seen).toEqual([]);
    await agent.close();
  });

  it("connects to an allowed host, and checks again where a redirect leads", async () => {
    const agent = createGuardedAgent(promotionGuard({ allowedPrivateHosts: ["localhost"] }));
    expect(await (await fetch(`http://localhost:${port}/`, { dispatcher: agent })).text()).toBe("ok");
    const redirected = causeOf(await fetch(`http://localhost:${port}/to-literal`, { dispatcher: agent }).catch((e: unknown) => e));
    expect(redirected).toBeInstanceOf(NonPublicAddressError);
    expect(seen).toEqual([`localhost:${port} /`, `localhost:${port} /to-literal`]);
    await agent.close();
  });
});
