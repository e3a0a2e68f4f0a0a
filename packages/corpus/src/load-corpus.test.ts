import { isUuidV7 } from "@dealgraph/contracts";
import { loadCorpus } from "./load-corpus";

describe("loadCorpus", () => {
  it("turns every manifest entry into a valid envelope with its transcript", async () => {
    const corpus = await loadCorpus();
    expect(corpus.entries).toHaveLength(corpus.manifest.envelopes.length);
    for (const [index, entry] of corpus.entries.entries()) {
      const item = corpus.manifest.envelopes[index]!;
      expect(entry.envelope.tenant_id).toBe(corpus.manifest.tenants[item.tenant]);
      expect(entry.envelope.interaction_id).toBe(item.interaction_id);
      expect(entry.envelope.account_id).toBe(item.account_id);
      expect(entry.envelope.content.text.length).toBeGreaterThan(50);
      expect(isUuidV7(entry.envelope.interaction_id!)).toBe(false);
    }
  });

  it("fails with the manifest path when the directory is wrong", async () => {
    await expect(loadCorpus("/nonexistent/corpus")).rejects.toThrow(/manifest\.json/);
  });
});
