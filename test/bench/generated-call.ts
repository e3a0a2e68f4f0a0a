/**
 * A long sales call, generated: `commitments` promises (owners alternating between the two
 * sides) and `deals` priced offerings, so the LLM critical path can be measured on a transcript
 * far bigger than the sample corpus's. A `followUp` call moves every deal on (new terms, a new
 * pain, a new price), so merging it rewrites and re-embeds every deal's summary: the longest path.
 */
export function generatedCall(commitments: number, deals: number, options: { followUp?: boolean } = {}): string {
  // Offerings the way sales calls name them (a product and its kind); each names a separate deal.
  const offerings = ["analytics platform", "telematics bundle", "safety package", "planning suite", "maintenance edition", "dispatch add-on", "routing tier"];
  // Fifty deliverables no two of which share more than one word, so none reads as a repeat.
  const qualifiers = ["security", "pricing", "pilot", "legal", "integration", "reference", "savings", "training", "architecture", "rollout"];
  const documents = ["questionnaire", "sheet", "memo", "checklist", "diagram"];
  const lines: string[] = [];
  for (let d = 0; d < deals; d += 1) {
    const offering = offerings[d % offerings.length] ?? "platform";
    if (options.followUp) {
      lines.push(
        `Ada Park (Vendor Co): For the ${offering}, legal review has started on the contract terms; the revised quote is ${(70 + d * 15) * 1000} dollars a year.`,
      );
      lines.push(
        `Lee Fox (Client Ltd): What really hurts is that dispatchers lose two days every month reconciling exports by hand, which the ${offering} removes.`,
      );
    } else {
      lines.push(`Ada Park (Vendor Co): For the ${offering}, the quote is ${(80 + d * 15) * 1000} dollars a year, and Maria Lopez signs off on budget.`);
      lines.push(`Lee Fox (Client Ltd): Our main pain is manual reporting; the ${offering} would save us ${5 + d} hours a week.`);
    }
  }
  for (let c = 0; c < commitments; c += 1) {
    const deliverable = `${qualifiers[c % qualifiers.length] ?? ""} ${documents[Math.floor(c / qualifiers.length) % documents.length] ?? "notes"}`;
    const speaker = c % 2 === 0 ? "Ada Park (Vendor Co)" : "Lee Fox (Client Ltd)";
    lines.push(`${speaker}: I'll send the ${deliverable} by Friday.`);
  }
  return lines.join("\n");
}
