import { hashingEmbedding } from "./hashing-embedder";
import { cosineSimilarity } from "./sentence-embedder";

const similarity = (a: string, b: string, dimension = 1536) => cosineSimilarity(hashingEmbedding(a, dimension), hashingEmbedding(b, dimension));

describe("hashingEmbedding", () => {
  it("has the configured dimension and unit length", () => {
    for (const dimension of [64, 384, 1536]) {
      const vector = hashingEmbedding("Send the pilot proposal for five clinics", dimension);
      expect(vector).toHaveLength(dimension);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    }
  });

  it("is deterministic", () => {
    expect(hashingEmbedding("Fleet telemetry analytics platform", 256)).toEqual(hashingEmbedding("Fleet telemetry analytics platform", 256));
  });

  it("scores paraphrases that share words high and unrelated texts low", () => {
    const paraphrase = similarity("Send the case study from the regional carrier", "I sent the case study from the regional carrier last Tuesday");
    const related = similarity("Start the legal review of the master services agreement", "The legal review of the master services agreement has started");
    const unrelated = similarity("Send the case study from the regional carrier", "Run a training session for the night shift dispatchers");
    expect(paraphrase).toBeGreaterThan(0.7);
    expect(related).toBeGreaterThan(0.7);
    expect(Math.abs(unrelated)).toBeLessThan(0.2);
  });

  it("ranks a paraphrase above a text that shares one word", () => {
    const query = "Fleet telemetry analytics platform for nine thousand trucks";
    expect(similarity(query, "Analytics platform for fleet telemetry across our trucks")).toBeGreaterThan(
      similarity(query, "Clinic analytics subscription for forty dental clinics"),
    );
  });

  it("gives text without content words a stable non-zero vector", () => {
    const vector = hashingEmbedding("and the of", 128);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    expect(similarity("", "")).toBeCloseTo(1, 10);
  });
});
