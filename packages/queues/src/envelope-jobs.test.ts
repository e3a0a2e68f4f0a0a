import { envelopeJobSchema } from "./envelope-jobs";

const ids = { tenant_id: "0190a7e2-1c3b-7d4e-8f5a-000000000001", interaction_id: "0190a7e2-1c3b-7d4e-8f5a-000000000002" };

it("reads a job a newer api wrote, dropping what it does not know", () => {
  expect(envelopeJobSchema.parse({ ...ids, trace: { traceparent: "00-abc-def-01" }, priority_hint: "high" })).toEqual({
    ...ids,
    trace: { traceparent: "00-abc-def-01" },
  });
});

it("names the field of a job that is not one", () => {
  const parsed = envelopeJobSchema.safeParse({ ...ids, interaction_id: "42" });
  expect(parsed.success).toBe(false);
  expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual(["interaction_id"]);
});
