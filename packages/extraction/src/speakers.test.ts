import { MAX_SPEAKERS, speakersOf } from "./speakers";

describe("speakersOf", () => {
  it("reads each diarized label once, with its organisation", () => {
    const text = [
      "[00:00:03] Priya Shah (Skyline Cloud): Thanks for joining.",
      "[00:00:10] Grace Liu (Harbor Dental Group): Yes. We have forty clinics: no way to see it.",
      "[00:00:21] priya  shah (Skyline Cloud): What is the impact?",
      "Owen Brooks (Harbor Dental Group): I manage IT.",
    ].join("\n");
    expect(speakersOf(text)).toEqual([
      { name: "Priya Shah", org: "Skyline Cloud" },
      { name: "Grace Liu", org: "Harbor Dental Group" },
      { name: "Owen Brooks", org: "Harbor Dental Group" },
    ]);
  });

  it("keeps a label without an organisation, and takes one given later", () => {
    expect(speakersOf("Sam: hello there\nSam (Vendor): I'll send it.\nDana: fine")).toEqual([
      { name: "Sam", org: "Vendor" },
      { name: "Dana", org: null },
    ]);
  });

  it("takes prose, headings and colons inside sentences for no one", () => {
    const notes = "Call notes with Dana.\nNext steps: send the quote.\nShe said the budget is: tight.\nAction items: none";
    expect(speakersOf(notes)).toEqual([]);
  });

  it("keeps at most MAX_SPEAKERS", () => {
    const text = Array.from(
      { length: MAX_SPEAKERS + 5 },
      (_, i) => `Person ${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))} (Org): hi`,
    ).join("\n");
    expect(speakersOf(text)).toHaveLength(MAX_SPEAKERS);
  });
});
