import { contentTerms } from "./text-features";

/*
 * A fixed, generic taxonomy of what sales follow-ups are about. Stable labels make topics merge
 * across calls by name; a model (openai provider) may name topics more finely.
 */
const TOPICS: ReadonlyArray<{ label: string; terms: string[] }> = [
  { label: "Security and compliance", terms: ["security", "soc", "questionnaire", "compliance", "gdpr", "hipaa", "privacy", "penetration", "audit", "iso"] },
  { label: "Legal and contracts", terms: ["legal", "msa", "contract", "redline", "nda", "terms", "agreement", "lawyer", "counsel"] },
  {
    label: "Pricing and proposals",
    terms: ["proposal", "pricing", "price", "quote", "discount", "statement", "sow", "comparison", "forecast", "spend", "budget", "business case", "roi"],
  },
  { label: "Pilot and evaluation", terms: ["pilot", "trial", "poc", "evaluation", "success", "criteria", "result", "report"] },
  {
    label: "Data and integration",
    terms: [
      "data",
      "schema",
      "export",
      "integration",
      "connector",
      "api",
      "architecture",
      "mapping",
      "access",
      "stream",
      "sizing",
      "source",
      "sample",
      "feed",
      "system",
      "erp",
      "crm",
      "dataset",
    ],
  },
  { label: "Support and incidents", terms: ["support", "support case", "ticket", "issue", "bug", "outage", "incident", "fix", "duplicate", "escalation"] },
  { label: "Billing and invoicing", terms: ["invoice", "billing", "credit", "payment", "refund", "finance"] },
  { label: "Training and enablement", terms: ["training", "workshop", "onboarding", "enablement", "session", "walkthrough", "migration"] },
  {
    label: "Meetings and follow-ups",
    terms: ["meeting", "call", "follow", "calendar", "invite", "slot", "agenda", "note", "recording", "summary", "steering", "committee", "member"],
  },
  { label: "Collateral and references", terms: ["case study", "reference", "deck", "brochure", "one-page", "whitepaper", "collateral", "demo"] },
];

const FALLBACK = "General follow-ups";

/** Single words match by stem; phrases ("case study") match whole and weigh double. */
const TOPIC_TERMS = TOPICS.map((topic) => ({
  label: topic.label,
  words: new Set(topic.terms.filter((t) => !t.includes(" ")).flatMap((t) => contentTerms(t))),
  phrases: topic.terms.filter((t) => t.includes(" ")),
}));

/** The taxonomy label whose terms the text hits most; ties go to the earlier (more specific) label. */
export function classifyTopic(text: string): string {
  const terms = contentTerms(text);
  const lowered = text.toLowerCase();
  let best = { label: FALLBACK, hits: 0 };
  for (const topic of TOPIC_TERMS) {
    const hits = terms.filter((term) => topic.words.has(term)).length + 2 * topic.phrases.filter((phrase) => lowered.includes(phrase)).length;
    if (hits > best.hits) best = { label: topic.label, hits };
  }
  return best.label;
}
