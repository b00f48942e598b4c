import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countApprovals, type Review } from "../../src/pipeline/count-approvals.js";

let nextId = 1;
function review(login: string, state: string, minute: number): Review {
  return { id: nextId++, user: { login }, state, submitted_at: `2026-11-10T12:${String(minute).padStart(2, "0")}:00Z` };
}

function recorded(name: string): Review {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), "utf8")).review;
}

const team = ["alice", "bob", "carol"];

describe("countApprovals", () => {
  it.each<[string, Review[], number, string, string[], string[]]>([
    ["no reviews", [], 1, "pending", [], []],
    ["one approval of one", [review("alice", "APPROVED", 1)], 1, "approved", ["alice"], []],
    ["one approval of two", [review("alice", "APPROVED", 1)], 2, "pending", ["alice"], []],
    ["the same person twice", [review("alice", "APPROVED", 1), review("alice", "APPROVED", 2)], 2, "pending", ["alice"], []],
    ["two people", [review("alice", "APPROVED", 1), review("Bob", "approved", 2)], 2, "approved", ["alice", "Bob"], []],
    ["changes requested", [review("alice", "APPROVED", 1), review("bob", "CHANGES_REQUESTED", 2)], 1, "blocked", ["alice"], ["bob"]],
    ["changes requested, then approved", [review("bob", "CHANGES_REQUESTED", 1), review("bob", "APPROVED", 2)], 1, "approved", ["bob"], []],
    ["approved, then changes requested", [review("bob", "APPROVED", 1), review("bob", "CHANGES_REQUESTED", 2)], 1, "blocked", [], ["bob"]],
    ["approved, then a plain comment", [review("bob", "APPROVED", 1), review("bob", "COMMENTED", 2)], 1, "approved", ["bob"], []],
    ["approved, then dismissed", [review("bob", "APPROVED", 1), review("bob", "DISMISSED", 2)], 1, "pending", [], []],
    ["a pending draft", [review("bob", "PENDING", 1)], 1, "pending", [], []],
    ["someone not allowed", [review("mallory", "APPROVED", 1)], 1, "pending", [], []],
    ["someone not allowed requesting changes", [review("mallory", "CHANGES_REQUESTED", 1)], 0, "approved", [], []],
    ["the author approving their own PR", [review("carol", "APPROVED", 1)], 1, "pending", [], []],
    ["a deleted user", [{ id: 99, user: null, state: "APPROVED", submitted_at: "2026-11-10T12:00:00Z" }], 1, "pending", [], []],
    ["no approvals required", [], 0, "approved", [], []],
  ])("%s", (_label, reviews, required, state, approvedBy, blockedBy) => {
    expect(countApprovals(reviews, team, required, "carol")).toMatchObject({ state, approvedBy, blockedBy });
  });

  it("orders reviews by time, not by list order", () => {
    const later = review("bob", "APPROVED", 9);
    const earlier = review("bob", "CHANGES_REQUESTED", 1);
    expect(countApprovals([later, earlier], team, 1).state).toBe("approved");
  });

  it.each([
    [[review("alice", "APPROVED", 1)], "success"],
    [[], "pending"],
    [[review("bob", "CHANGES_REQUESTED", 1)], "failure"],
  ] as const)("sets the commit status state (%#)", (reviews, commitState) => {
    expect(countApprovals([...reviews], team, 1).commitState).toBe(commitState);
  });

  it("describes the count for the commit status", () => {
    expect(countApprovals([review("alice", "APPROVED", 1)], team, 2).description).toBe("1 of 2 approvals (alice)");
    expect(countApprovals([review("bob", "CHANGES_REQUESTED", 1)], team, 2).description).toBe("Changes requested by bob");
  });

  it("keeps the description within GitHub's 140 characters", () => {
    const many = Array.from({ length: 40 }, (_, i) => `reviewer-number-${i}`);
    const description = countApprovals(many.map((login, i) => review(login, "APPROVED", i)), many, 50).description;
    expect(description).toHaveLength(140);
    expect(description.endsWith("…")).toBe(true);
  });

  it("reads recorded review payloads: an approval counts, a dismissed review does not", () => {
    const approved = recorded("pull_request_review.submitted.approved.json");
    const dismissed = recorded("pull_request_review.dismissed.json");
    expect(countApprovals([approved], ["Codertocat"], 1).state).toBe("approved");
    expect(countApprovals([dismissed], ["Codertocat"], 1).state).toBe("pending");
    expect(countApprovals([approved], ["Codertocat"], 1, "Codertocat").state).toBe("pending");
  });
});
