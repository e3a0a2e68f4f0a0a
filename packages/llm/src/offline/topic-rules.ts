import { contentTerms } from "./text-features";

/*
 * A fixed, generic taxonomy of what sales follow-ups are about. Stable labels make topics merge
 * across calls by name; a model (openai provider) may name topics more finely.
 */
const TOPICS: ReadonlyArray<{ label: string; terms: string[] }> = [
  { label: "Security and compliance", terms: ["security", "soc", "questionnaire", "compliance", "gdpr", "hipaa", "privacy", "penetration", "audit", "iso"] },
  { label: "Legal and contracts", terms: ["legal", "msa", "contract", "redline", "nda", "terms", "agreement", "lawyer", "counsel"] },
  { label: "Pricing and proposals", terms: ["proposal", "pricing", "price", "quote", "discount", "statement", "sow", "comparison", "forecast", "spend", "budget", "business case", "roi"] },
  { label: "Pilot and evaluation", terms: ["pilot", "trial", "poc", "evaluation", "success", "criteria", "result", "report", "clinic"] },
  { label: "Data and integration", terms: ["data", "telemetry", "schema", "export", "integration", "connector", "api", "architecture", "mapping", "access", "stream", "sizing", "source", "sap", "sample", "feed", "system"] },
  { label: "Support and incidents", terms: ["support", "case", "ticket", "issue", "bug", "outage", "incident", "fix", "duplicate", "escalation"] },
  { label: "Billing and invoicing", terms: ["invoice", "billing", "credit", "payment", "refund", "finance"] },
  { label: "Training and enablement", terms: ["training", "workshop", "onboarding", "enablement", "session", "walkthrough", "migration", "dispatcher"] },
  { label: "Meetings and follow-ups", terms: ["meeting", "call", "follow", "calendar", "invite", "slot", "agenda", "note", "recording", "summary", "steering", "committee", "member"] },
  { label: "Collateral and references", terms: ["study", "reference", "deck", "brochure", "one-page", "whitepaper", "collateral", "demo"] },
];

const FALLBACK = "General follow-ups";

const TOPIC_TERMS = TOPICS.map((topic) => ({ label: topic.label, terms: new Set(topic.terms.flatMap((t) => contentTerms(t))) }));

/** The taxonomy label whose terms the text hits most; ties go to the earlier (more specific) label. */
export function classifyTopic(text: string): string {
  const terms = contentTerms(text);
  let best = { label: FALLBACK, hits: 0 };
  for (const topic of TOPIC_TERMS) {
    const hits = terms.filter((term) => topic.terms.has(term)).length;
    if (hits > best.hits) best = { label: topic.label, hits };
  }
  return best.label;
}
