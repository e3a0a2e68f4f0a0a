import { decideMatchesTask } from "../match-tasks";
import { HashingEmbedder } from "./hashing-embedder";
import { OfflineProvider } from "./offline-provider";

describe("offline middle-band decisions", () => {
  it("answers every question of a batch, matching a reworded record and keeping a different one new", async () => {
    const { value } = await new OfflineProvider(new HashingEmbedder(64)).complete(decideMatchesTask, {
      kind: "action_item",
      questions: [
        {
          query_id: "0",
          text: "Send the case study from the regional carrier",
          candidates: [
            { candidate_id: "a", text: "Send over the case study from the regional carrier we worked with" },
            { candidate_id: "b", text: "Share a week of sample telemetry" },
          ],
        },
        { query_id: "1", text: "Run a training session for dispatchers", candidates: [{ candidate_id: "c", text: "Send the pilot proposal" }] },
        { query_id: "2", text: "Anything", candidates: [] },
      ],
    });
    expect(value.decisions.map((d) => [d.query_id, d.match_id])).toEqual([
      ["0", "a"],
      ["1", null],
      ["2", null],
    ]);
  });
});
