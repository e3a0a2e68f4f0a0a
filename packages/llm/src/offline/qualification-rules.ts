import {
  ONTOLOGY_DIMENSIONS,
  findMoneyMentions,
  type DimensionScore,
  type Meddic,
  type OntologyDimension,
  type OntologyScores,
  type QualificationEvidence,
} from "@dealgraph/extraction";
import { NO_SEMANTIC_CUES, type SemanticCues, type SemanticKind } from "./semantic-cues";
import { escapeRegExp } from "./text-features";
import type { Participants, Utterance } from "./transcript";

/*
 * MEDDIC evidence and the 15 ontology scores of one deal, read from the sentences of
 * the conversation that belong to it. Each rule names its cue words; every value carries the
 * sentence it rests on, so the guards can check it against the transcript. Weak or missing
 * evidence leaves a field empty.
 */

export interface ScopedSentence {
  utterance: Utterance;
  sentence: string;
  /** Sentences of the same utterance before this one (for "she" in "Dana, our VP. She owns…"). */
  earlier: string[];
}

export interface QualificationContext {
  participants: Participants;
  /** Sentences the sentence model put in a kind; cue words alone when absent. */
  semantic?: SemanticCues;
  /** Buyer-side commitments in the whole conversation, with a quote. */
  buyerCommitments: string[];
  budgetCoversPrice: boolean;
}

export interface Qualification {
  meddic: Meddic;
  ontology: OntologyScores;
  closeTimeframe: string | null;
}

const CUES = {
  pain: /\b(mess|problems?|pain\w*|struggl\w*|frustrat\w*|no way to|manual\w*|spreadsheets?|late|outages?|costs? us|wast\w*|losing|too slow|can't see|blind|no visibility|broken|fail\w*)\b/i,
  figure:
    /\d|\b(half|double|twice|triple|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)\s+(percent|hours?|days?|minutes?|times)\b|\bby half\b/i,
  outcome:
    /\b(costs?|fees?|improv\w*|cuts?|reduc\w*|sav\w+|increas\w*|up(?! to)|down|faster|earlier|late|delay\w*|on-time|utili[sz]ation|revenue|margin|churn|downtime|throughput)\b/i,
  economicBuyer:
    /\b(sign(?:s|ed)? off|signs|will sign|would sign|owns? the budget|budget owner|(?:my|our|his|her) budget|final (?:say|decision)|approves? (?:the )?(?:budget|spend|purchase)|(?:have|has) (?:the )?budget|budget (?:is )?approved|controls? the budget)\b/i,
  champion: /\b(push(?:ing)? for|champion\w*|advocat\w*|sponsor\w*|sell (?:it|this) internally|internally|talking about this|in favou?r of|backing this)\b/i,
  criteria:
    /\b(?:it|this|that|they|the (?:\w+ ){0,3}(?:platform|system|solution|tool|product|plan|service)) (?:also )?(?:has|have|needs?|must|got) to\b|\b(must|requirements?|required|care about|criteria|if we can show|we need|good outcome|strong case)\b/i,
  process:
    /\b(steering committee|security review|legal review|approvals?|approve|sign[- ]off|procurement|goes to|gate|board|committee|redline|decide|decision)\b/i,
  paper: /\b(legal|msa|master (?:services )?agreement|contracts?|redline\w*|procurement|purchase order|paperwork|terms and conditions)\b/i,
  competition:
    /\b(incumbent|other vendor|another vendor|competitors?|current (?:\w+ )?vendor|also (?:talking|evaluating|looking)|talking to (?:one|two|another|other)|alternatives?|in the picture)\b/i,
  incumbent: /\b(incumbent|paid for|current (?:\w+ )?(?:vendor|stack|system|setup|tool)|already have|existing (?:\w+ )?(?:system|vendor|tool))\b/i,
  acceptsPrice:
    /\b(in the range|that works|works for|fits inside|fits within|within (?:our )?budget|budget approved|that's fine|acceptable|reasonable|makes sense)\b/i,
  resistsPrice: /\b(too (?:high|expensive)|can't approve|cannot approve|over (?:our )?budget|bring the price down|cheaper|pricey)\b/i,
  legalMoving:
    /\b(legal review|redlines?|msa|master (?:services )?agreement)\b.*\b(started|underway|under way|in progress|signed|back)\b|\b(signed|countersigned)\b/i,
  legalMentioned: /\b(legal|procurement|msa|master (?:services )?agreement|redline|contract)\b/i,
  timeframe:
    /\b(this|next) (?:fiscal )?(?:year|quarter)\b|\bQ[1-4](?: \d{4})?\b|\bby (?:the )?end of (?:the )?(?:month|quarter|year)\b|\bwithin (?:the )?next \w+ (?:weeks|months)\b|\bpilot ends\b/i,
  timeframeAnchor: /\b(budget|decision|decide|sign|close|go live|go-live|contract|fiscal|steering|ends?)\b/i,
  technicalYes:
    /\b(well within|we have an? (?:\w+ )?(?:connector|integration|api)|is live|we support|supports? that|we can handle|handles? that|out of the box)\b/i,
  technicalAsk: /\b(integrat\w*|handle|peak|volume|throughput|real[- ]time|connector|api|export|architecture)\b/i,
  securityRisk: /\b(security review|soc ?2|questionnaire|compliance|integrat\w*|legacy)\b/i,
  securityClear: /\b(came back clean|security review is (?:finished|done|complete)|passed|approved by security)\b/i,
  readiness: /\b(asked for|happy|ready|excited|we asked|wants? (?:this|it)|looking forward|on board)\b/i,
  resistance: /\b(resist\w*|reluctant|not ready|pushback|skeptic\w*|sceptic\w*)\b/i,
};

const isQuestion = (s: ScopedSentence) => s.sentence.trim().endsWith("?");

function personIn(s: ScopedSentence, participants: Participants): string | null {
  const candidates = participants.people
    .map((person) => {
      const first = person.name.split(/\s+/)[0] ?? person.name;
      const at = s.sentence.search(new RegExp(String.raw`\b(${escapeRegExp(person.name)}|${escapeRegExp(first)})\b`));
      return { person, at };
    })
    .filter((c) => c.at >= 0 && c.person.name !== s.utterance.speaker)
    .sort((a, b) => a.at - b.at);
  if (candidates[0]) return candidates[0].person.name;
  if (/^\s*(she|he)\b/i.test(s.sentence) || /\b(she|he) (?:owns|signs|has|is)\b/i.test(s.sentence)) {
    for (const earlier of [...s.earlier].reverse()) {
      const named = participants.people.find((p) => earlier.includes(p.name));
      if (named) return named.name;
    }
    return null;
  }
  return /\b(I|I'm|my|me)\b/.test(s.sentence) ? s.utterance.speaker : null;
}

/** "Dana Whitfield, our VP of Operations" → "VP of Operations"; "I'm the COO" → "COO". */
function roleOf(name: string, scope: readonly ScopedSentence[], speakerOf: (s: ScopedSentence) => string | null): string | null {
  const ROLE = String.raw`((?:VP|Vice President|Head|Director|Chief|CFO|CEO|COO|CTO|CIO|CRO|owner|founder|president|general manager)\b[^.,]{0,30})`;
  for (const s of scope) {
    const texts = [...s.earlier, s.sentence];
    for (const text of texts) {
      const after = new RegExp(String.raw`${escapeRegExp(name)},\s*(?:[Oo]ur|[Tt]he|[Tt]heir)\s+${ROLE}`).exec(text);
      if (after?.[1]) return after[1].trim();
      const before = new RegExp(String.raw`(?:[Oo]ur|[Tt]he|[Tt]heir)\s+${ROLE},\s*${escapeRegExp(name)}`).exec(text);
      if (before?.[1]) return before[1].trim();
      const self = new RegExp(String.raw`\bI'?m (?:the )?${ROLE}`).exec(text);
      if (self?.[1] && speakerOf(s) === name) return self[1].trim();
    }
  }
  return null;
}

function evidence(texts: string[], confidence: number): QualificationEvidence | null {
  const [first] = texts;
  if (first === undefined) return null;
  return { text: texts.slice(0, 3).join(" "), confidence, quote: first };
}

const unscored: DimensionScore = { score: null, confidence: 0, evidence: null };
const scored = (score: number, confidence: number, quote: string | undefined): DimensionScore =>
  quote === undefined ? unscored : { score, confidence, evidence: quote };

export function qualify(scope: readonly ScopedSentence[], context: QualificationContext): Qualification {
  const { participants } = context;
  const buyerSide = scope.filter((s) => !participants.isSeller(s.utterance.speaker) && !isQuestion(s));
  const sellerSide = scope.filter((s) => participants.isSeller(s.utterance.speaker) && !isQuestion(s));
  const statements = scope.filter((s) => !isQuestion(s));
  const semantic = context.semantic ?? NO_SEMANTIC_CUES;
  const matching = (list: readonly ScopedSentence[], cue: RegExp, kind?: SemanticKind) =>
    list.filter((s) => cue.test(s.sentence) || (kind !== undefined && semantic.has(s.sentence, kind)));
  const quotes = (list: readonly ScopedSentence[]) => list.map((s) => s.sentence);

  const pain = matching(buyerSide, CUES.pain, "pain");
  const metrics = buyerSide.filter(
    (s) => ((CUES.figure.test(s.sentence) && CUES.outcome.test(s.sentence)) || semantic.has(s.sentence, "metrics")) && !/\bbudget/i.test(s.sentence),
  );
  const criteria = matching(buyerSide, CUES.criteria, "criteria");
  const process = matching(buyerSide, CUES.process, "process");
  const paper = matching(statements, CUES.paper, "paper");
  const competition = matching(statements, CUES.competition, "competition");

  const personFor = (cue: RegExp) => {
    for (const s of matching(buyerSide, cue)) {
      const person = personIn(s, participants);
      if (person) return { person, s };
    }
    return null;
  };
  const buyer = personFor(CUES.economicBuyer);
  const champion = personFor(CUES.champion);
  const ownerRole = buyer ? null : matching(buyerSide, /\bour (owner|founder|ceo|cfo|president|board)\b[^.]*\b(signs|approves|decides)\b/i)[0];
  const buyerOrg = participants.buyerOrganization(scope.map((s) => s.utterance));

  let economicBuyer: QualificationEvidence | null = null;
  if (buyer) {
    const role = roleOf(buyer.person, scope, (s) => s.utterance.speaker);
    economicBuyer = { text: role ? `${buyer.person} (${role})` : buyer.person, confidence: 0.8, quote: buyer.s.sentence };
  } else if (ownerRole) {
    const role = /\bour (owner|founder|ceo|cfo|president|board)\b/i.exec(ownerRole.sentence)?.[1] ?? "owner";
    economicBuyer = {
      text: `${role[0]!.toUpperCase()}${role.slice(1)}${buyerOrg ? ` of ${buyerOrg}` : ""} (not named)`,
      confidence: 0.45,
      quote: ownerRole.sentence,
    };
  }

  const meddic: Meddic = {
    metrics: evidence(quotes(metrics).slice(0, 2), 0.7),
    economic_buyer: economicBuyer,
    decision_criteria: evidence(quotes(criteria), Math.min(0.8, 0.55 + 0.1 * criteria.length)),
    decision_process: evidence(quotes(process), Math.min(0.8, 0.55 + 0.1 * process.length)),
    identified_pain: evidence(quotes(pain), Math.min(0.85, 0.6 + 0.1 * pain.length)),
    champion: champion ? { text: champion.person, confidence: 0.7, quote: champion.s.sentence } : null,
    paper_process: evidence(quotes(paper), 0.6),
    competition: evidence(quotes(competition), 0.65),
  };

  const ontology = scoreOntology(scope, context, { buyerSide, sellerSide, statements, pain, metrics, criteria, process, buyer, champion, economicBuyer });
  const timeframe = statements.find((s) => CUES.timeframe.test(s.sentence) && CUES.timeframeAnchor.test(s.sentence));
  return {
    meddic,
    ontology,
    closeTimeframe: timeframe ? (CUES.timeframe.exec(timeframe.sentence)?.[0] ?? null) : null,
  };
}

interface Found {
  buyerSide: ScopedSentence[];
  sellerSide: ScopedSentence[];
  statements: ScopedSentence[];
  pain: ScopedSentence[];
  metrics: ScopedSentence[];
  criteria: ScopedSentence[];
  process: ScopedSentence[];
  buyer: { person: string; s: ScopedSentence } | null;
  champion: { person: string; s: ScopedSentence } | null;
  economicBuyer: QualificationEvidence | null;
}

function scoreOntology(scope: readonly ScopedSentence[], context: QualificationContext, f: Found): OntologyScores {
  const first = (list: readonly ScopedSentence[], cue: RegExp) => list.find((s) => cue.test(s.sentence))?.sentence;
  const hasFigure = (s: ScopedSentence) => findMoneyMentions(s.sentence).length > 0 || /\d/.test(s.sentence);
  const buyerSpeaks = (name: string) => scope.some((s) => s.utterance.speaker === name);

  const score: Partial<Record<OntologyDimension, DimensionScore>> = {
    champion_strength: f.champion ? scored(f.champion.s.utterance.speaker === f.champion.person ? 3 : 2, 0.6, f.champion.s.sentence) : unscored,
    economic_buyer_access: f.buyer
      ? scored(buyerSpeaks(f.buyer.person) ? 3 : 2, 0.6, f.buyer.s.sentence)
      : f.economicBuyer
        ? scored(1, 0.5, f.economicBuyer.quote)
        : unscored,
    identified_pain: f.pain.length > 0 ? scored(f.pain.some(hasFigure) ? 3 : 2, 0.65, (f.pain.find(hasFigure) ?? f.pain[0])?.sentence) : unscored,
    metrics_business_case: f.metrics.length > 0 ? scored(f.metrics.length >= 2 ? 3 : 2, 0.6, f.metrics[0]?.sentence) : unscored,
    decision_criteria_alignment:
      f.criteria.length > 0
        ? (() => {
            const yes = first(f.sellerSide, CUES.technicalYes);
            return yes ? scored(f.criteria.length >= 2 ? 3 : 2, 0.55, yes) : scored(1, 0.5, f.criteria[0]?.sentence);
          })()
        : unscored,
    decision_process_clarity: f.process.length > 0 ? scored(Math.min(3, f.process.length), 0.55, f.process[0]?.sentence) : unscored,
    competitive_position: (() => {
      const threat = first(f.statements, CUES.competition);
      return threat ? scored(1, 0.5, threat) : unscored;
    })(),
    incumbent_displacement_risk: (() => {
      const incumbent = first(f.statements, CUES.incumbent);
      return incumbent ? scored(/\bincumbent|paid for\b/i.test(incumbent) ? 3 : 2, 0.55, incumbent) : unscored;
    })(),
    pricing_alignment: (() => {
      const resists = first(f.buyerSide, CUES.resistsPrice);
      if (resists) return scored(1, 0.55, resists);
      const accepts = first(f.buyerSide, CUES.acceptsPrice);
      if (accepts) return scored(context.budgetCoversPrice ? 3 : 2, 0.6, accepts);
      return unscored;
    })(),
    procurement_legal_progress: (() => {
      const moving = first(f.statements, CUES.legalMoving);
      if (moving) return scored(/\bsigned\b/i.test(moving) ? 3 : 2, 0.55, moving);
      const mentioned = first(f.statements, CUES.legalMentioned);
      return mentioned ? scored(1, 0.5, mentioned) : unscored;
    })(),
    responsiveness: context.buyerCommitments.length > 0 ? scored(Math.min(3, context.buyerCommitments.length), 0.5, context.buyerCommitments[0]) : unscored,
    close_date_credibility: (() => {
      const stated = f.statements.find((s) => CUES.timeframe.test(s.sentence));
      if (!stated) return unscored;
      return scored(CUES.timeframeAnchor.test(stated.sentence) ? 2 : 1, 0.5, stated.sentence);
    })(),
    technical_fit: (() => {
      const yes = f.sellerSide.filter((s) => CUES.technicalYes.test(s.sentence));
      if (yes.length > 0) return scored(yes.length >= 2 ? 3 : 2, 0.55, yes[0]?.sentence);
      const ask = first(f.buyerSide, CUES.technicalAsk);
      return ask ? scored(1, 0.4, ask) : unscored;
    })(),
    integration_security_risk: (() => {
      const clear = first(f.statements, CUES.securityClear);
      if (clear) return scored(1, 0.55, clear);
      const risk = first(f.statements, CUES.securityRisk);
      return risk ? scored(2, 0.5, risk) : unscored;
    })(),
    change_readiness: (() => {
      const resistance = first(f.buyerSide, CUES.resistance);
      const ready = f.buyerSide.filter((s) => CUES.readiness.test(s.sentence) || CUES.pain.test(s.sentence));
      if (resistance && ready.length === 0) return scored(1, 0.45, resistance);
      if (ready.length > 0) return scored(ready.length >= 3 ? 3 : 2, 0.45, ready[0]?.sentence);
      return unscored;
    })(),
  };
  return Object.fromEntries(ONTOLOGY_DIMENSIONS.map((dim) => [dim, score[dim] ?? unscored])) as OntologyScores;
}
