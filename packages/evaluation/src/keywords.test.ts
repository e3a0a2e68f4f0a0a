import { groupsMatched, keywordsMatch } from "./keywords";
import { namesPerson, sameOwner } from "./people";

describe("keyword groups", () => {
  it("matches an alternative at the start of a word, reading hyphens, slashes and underscores as spaces", () => {
    expect(keywordsMatch(["deactivat"], "Accounts were deactivated")).toBe(true);
    expect(keywordsMatch(["activat"], "Accounts were deactivated")).toBe(false);
    expect(keywordsMatch(["roll out"], "the roll-out of loggers")).toBe(true);
    expect(keywordsMatch(["sap pm"], "exports from SAP/PM")).toBe(true);
  });

  it("needs at least half of the groups, rounded up", () => {
    const groups = ["payback|roi", "calculat", "thursday"];
    expect(groupsMatched(groups, "A payback calculation")).toBe(2);
    expect(keywordsMatch(groups, "A payback calculation")).toBe(true);
    expect(keywordsMatch(groups, "The payback")).toBe(false);
    expect(keywordsMatch(["a", "b"], "b only")).toBe(true);
  });
});

describe("people", () => {
  it("names a person by full name or by one of the names", () => {
    expect(namesPerson("Katrin Vogel", "Katrin Vogel (CFO) signs above 150k")).toBe(true);
    expect(namesPerson("Katrin Vogel", "Vogel signs")).toBe(true);
    expect(namesPerson("Katrin Vogel", "The CFO signs")).toBe(false);
    expect(namesPerson("Katrin Vogel", null)).toBe(false);
  });

  it("takes an owner written with the first name only, not another person", () => {
    expect(sameOwner("Heike Sommer", "Heike")).toBe(true);
    expect(sameOwner("Heike Sommer", "Heike Sommer")).toBe(true);
    expect(sameOwner("Heike Sommer", "Heike Brandt")).toBe(false);
    expect(sameOwner("Heike Sommer", null)).toBe(false);
  });
});
