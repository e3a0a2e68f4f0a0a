import { classifyTopic } from "./topic-rules";

describe("classifyTopic", () => {
  it.each([
    ["Send over the case study from the regional carrier", "Collateral and references"],
    ["Open a support case for the duplicate trailer ID issue", "Support and incidents"],
    ["Send the vendor security questionnaire to Priya", "Security and compliance"],
    ["Start the legal review of the master services agreement", "Legal and contracts"],
    ["Apply the February service credits to the last invoice", "Billing and invoicing"],
    ["Send a pilot proposal for five clinics", "Pricing and proposals"],
    ["Water the plants", "General follow-ups"],
  ])("%s → %s", (text, topic) => {
    expect(classifyTopic(text)).toBe(topic);
  });
});
