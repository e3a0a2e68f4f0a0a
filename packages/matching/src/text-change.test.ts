import { textChangedMaterially } from "./text-change";

describe("textChangedMaterially", () => {
  it("keeps the embedding for the same words and recomputes it for new content", () => {
    expect(textChangedMaterially("Pilot in the Midwest region.", "pilot in the midwest region")).toBe(false);
    expect(textChangedMaterially("Pilot in the Midwest region.", "Budget of 450,000 approved; legal review started.")).toBe(true);
    expect(textChangedMaterially("", "")).toBe(false);
  });
});
