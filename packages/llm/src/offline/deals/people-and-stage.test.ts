import { parseTranscript, Participants } from "../transcript";
import { extractDealsByRules } from "./deal-rules";
import { priceMentions, roleOf } from "./price-statements";
import { statementsOf } from "./statements";

const SELLER = "Ada Park (Vendor Co)";
const BUYER = "Lee Fox (Client Ltd)";
const deals = (lines: string[]) => {
  const utterances = parseTranscript(lines.join("\n"));
  return extractDealsByRules(utterances, new Participants(utterances), { targeted: false });
};

describe("which amounts are prices", () => {
  const roles = (line: string) => {
    const utterances = parseTranscript(line);
    const [statement] = statementsOf(utterances, new Participants(utterances));
    return priceMentions(statementsOf(utterances, new Participants(utterances))).length > 0 ? "price" : statement ? "not a price" : "none";
  };

  it.each([
    [`${SELLER}: The archive service would be £48,000 a year.`, "price"],
    [`${BUYER}: Every hour of downtime costs us about 20,000 euros.`, "not a price"],
    [`${BUYER}: Anything above $150,000 needs our board's approval.`, "not a price"],
    [`${BUYER}: For comparison, Brightline quoted us $70,000.`, "not a price"],
    [`${BUYER}: We paid about $90,000 for the last system in 2021.`, "not a price"],
    [`${BUYER}: We lost $2.1m in chargeback losses last year.`, "not a price"],
  ])("%s → %s", (line, expected) => {
    expect(roles(line)).toBe(expected);
  });

  it("classifies each amount of one sentence by its own clause", () => {
    const line = `${BUYER}: The reporting module at $40,000 is fine, but anything over $25,000 goes to our CFO.`;
    const utterances = parseTranscript(line);
    const [statement] = statementsOf(utterances, new Participants(utterances));
    const amounts = priceMentions([statement!]).map((p) => p.value);
    expect(amounts).toEqual([40000]);
    expect(roleOf(statement!, { amount: 25000, currency: "USD", index: statement!.sentence.indexOf("$25,000"), length: 7 })).toBe("threshold");
  });
});

describe("economic buyer and champion", () => {
  it("finds who signs from a threshold and a pronoun, and a champion who says so", () => {
    const [deal] = deals([
      `${SELLER}: The planning suite would be 90,000 dollars a year.`,
      `${BUYER}: I've been pushing for this since the audit. Anything above 50,000 goes to Maria Stone, our CFO. Sign-off sits with her.`,
    ]);
    expect(deal?.meddic.economic_buyer?.text).toBe("Maria Stone (CFO)");
    expect(deal?.meddic.champion?.text).toBe("Lee Fox");
  });

  it("takes an approval threshold only for the deals it covers", () => {
    const found = deals([
      `${SELLER}: The planning suite would be 300,000 dollars a year. The audit add-on is 20,000 dollars a year.`,
      `${BUYER}: Anything over 100,000 needs our CFO, Maria Stone. The add-on I can approve myself; it's inside my own budget.`,
    ]);
    const buyerOf = (name: RegExp) => found.find((d) => name.test(d.name))?.meddic.economic_buyer?.text;
    expect(buyerOf(/planning/i)).toBe("Maria Stone (CFO)");
    expect(buyerOf(/audit/i)).toBe("Lee Fox");
  });

  it("gives a sentence about one deal to that deal and a sentence about both to both", () => {
    const found = deals([
      `${SELLER}: The planning suite would be 300,000 dollars a year.`,
      `${SELLER}: Separately, the audit add-on is 20,000 dollars a year.`,
      `${BUYER}: I've been pushing for the planning suite since last year's outage.`,
      `${BUYER}: Maria Stone, our CFO, signs off on both.`,
    ]);
    expect(found.map((d) => d.meddic.economic_buyer?.text)).toEqual(["Maria Stone (CFO)", "Maria Stone (CFO)"]);
    expect(found.find((d) => /planning/i.test(d.name))?.meddic.champion?.text).toBe("Lee Fox");
    expect(found.find((d) => /audit/i.test(d.name))?.meddic.champion).toBeNull();
  });

  it("reads advocacy idioms and a signing limit said in the first person", () => {
    const [deal] = deals([
      `${SELLER}: For 2,000 drawings, our price is 300,000 dollars for the whole programme.`,
      `${BUYER}: I'm the one who's been banging the drum for this for years. Anything over 250k is mine to sign.`,
    ]);
    expect(deal?.name).toBe("Drawing programme");
    expect(deal?.meddic.champion?.text).toBe("Lee Fox");
    expect(deal?.meddic.economic_buyer?.text).toBe("Lee Fox");
  });

  it("gives a sentence that spells out a deal's acronym to that deal", () => {
    const found = deals([
      `${SELLER}: The CDP licence is 300,000 dollars a year.`,
      `${SELLER}: The data migration is a fixed 90,000 dollars, which Maria Stone can approve.`,
      `${BUYER}: I've been pushing for a customer data platform for two years.`,
    ]);
    expect(found.map((d) => [d.name, d.meddic.champion?.text ?? null])).toEqual([
      ["CDP licence", "Lee Fox"],
      ["Data migration", null],
    ]);
    expect(found[1]?.meddic.economic_buyer?.text).toBe("Maria Stone");
  });

  it("never names a seller, and leaves both empty when nobody is said to sign or push", () => {
    const [deal] = deals([`${SELLER}: The planning suite would be 90,000 dollars a year, and I'll sign the order on our side.`, `${BUYER}: Noted.`]);
    expect(deal?.meddic.economic_buyer).toBeNull();
    expect(deal?.meddic.champion).toBeNull();
  });
});

describe("stage", () => {
  const stage = (line: string) => deals([`${SELLER}: The planning suite is 40,000 dollars a year.`, `${BUYER}: ${line}`])[0]?.stage;

  it.each([
    ["We've decided to go with another vendor.", "closed_lost"],
    ["We're going to build it in-house instead.", "closed_lost"],
    ["Good news: we signed the order form this morning.", "closed_won"],
    ["Legal sent back redlines on the liability cap.", "negotiation"],
    ["Thanks, the proposal you sent is clear.", "proposal"],
  ])("%s → %s", (line, expected) => {
    expect(stage(line)).toBe(expected);
  });

  it("does not take a promised proposal or a signed NDA for what has happened", () => {
    expect(stage("Great, I'll look out for your proposal next week.")).toBe("qualification");
    expect(stage("We signed the mutual NDA yesterday.")).toBe("qualification");
  });
});
