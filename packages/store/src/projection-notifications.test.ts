import { projectionNotices } from "./projection-notifications";

describe("projectionNotices", () => {
  it("sends one notice per kind, each id once, and none for a kind without ids", () => {
    expect(projectionNotices("t-1", { interaction: ["i-1"], opportunity: ["o-1", "o-2", "o-1"], topic: [] })).toEqual([
      { tenant_id: "t-1", kind: "interaction", ids: ["i-1"] },
      { tenant_id: "t-1", kind: "opportunity", ids: ["o-1", "o-2"] },
    ]);
  });

  it("splits a kind with many ids so that no payload nears Postgres's 8000-byte limit", () => {
    const ids = Array.from({ length: 250 }, (_, i) => `0190a7e2-1c3b-7d4e-8f5a-${String(i).padStart(12, "0")}`);
    const notices = projectionNotices("0190a7e2-0000-7000-8000-000000000001", { action_item: ids });
    expect(notices.map((n) => n.ids.length)).toEqual([100, 100, 50]);
    expect(notices.flatMap((n) => n.ids)).toEqual(ids);
    for (const notice of notices) expect(Buffer.byteLength(JSON.stringify(notice))).toBeLessThan(8000);
  });
});
