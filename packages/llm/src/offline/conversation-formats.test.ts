import { parseTranscript, Participants } from "./transcript";

describe("conversation formats", () => {
  it("reads an email thread oldest first, one turn per message, senders from the headers", () => {
    const text = [
      "From: Ada Park <ada.park@vendorco.com>",
      "To: Lee Fox <lee@clientltd.org>",
      "Subject: RE: pricing",
      "Date: Tue, 14 Apr 2026 10:00",
      "",
      "Lee,",
      "",
      "The reporting module is EUR 30,000 a year. I will send the order form on Monday.",
      "",
      "Best regards,",
      "Ada",
      "Account Director, Vendor Co",
      "",
      "> From: Lee Fox <lee@clientltd.org>",
      "> Subject: pricing",
      ">",
      "> Could you send me the price of the reporting module?",
    ].join("\n");
    const turns = parseTranscript(text);
    expect(turns.map((u) => [u.speaker, u.quoted, u.text])).toEqual([
      ["Lee Fox", true, "Could you send me the price of the reporting module?"],
      ["Ada Park", false, "The reporting module is EUR 30,000 a year. I will send the order form on Monday."],
    ]);
    expect(new Participants(turns).organizationOf("Ada Park")).toBe("Vendorco");
  });

  it("names 'Speaker 1' and lower-case speech-to-text labels from their self-introductions", () => {
    const turns = parseTranscript(
      [
        "Speaker 1: Hi, this is Mia Lund from Northgate, thanks for your time.",
        "Speaker 2: Thanks Mia. Tom Berg, head of IT at Harbor Foods.",
        "Speaker 1: Great.",
        "Speaker 2: Sure.",
      ].join("\n"),
    );
    expect(turns.map((u) => [u.speaker, u.organization])).toEqual([
      ["Mia Lund", "Northgate"],
      ["Tom Berg", "Harbor Foods"],
      ["Mia Lund", "Northgate"],
      ["Tom Berg", "Harbor Foods"],
    ]);
    const asr = parseTranscript(["mia: hi it's mia lund from northgate um thanks", "tom: yeah hi", "mia: so um", "tom: okay"].join("\n"));
    expect(asr.map((u) => u.speaker)).toEqual(["Mia Lund", "Tom", "Mia Lund", "Tom"]);
  });

  it("reads call notes as the author's, with attendees and their roles, the author's side selling", () => {
    const turns = parseTranscript(
      [
        "Harbor Foods - discovery call - 2 May 2026",
        "Written by: Mia Lund (Northgate)",
        "Attendees: Tom Berg (Head of IT), Ana Diaz (CFO), me",
        "",
        "Money",
        "Tom says the current system costs them a lot. I quoted $80k a year for the inventory module.",
        "- Ana is going to send the budget figures by Friday.",
      ].join("\n"),
    );
    const people = new Participants(turns);
    expect(people.sellerOrganization).toBe("Northgate");
    expect(people.people.find((p) => p.name === "Ana Diaz")?.role).toBe("CFO");
    expect(new Set(turns.map((u) => u.speaker))).toEqual(new Set(["Mia Lund"]));
    expect(turns.some((u) => u.text === "Ana is going to send the budget figures by Friday.")).toBe(true);
  });
});
