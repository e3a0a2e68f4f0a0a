import type { DealStage } from "@dealgraph/extraction";
import type { Statement } from "./statements";

/*
 * Where a deal stands, from what people say happened to it. Closing statements win over
 * everything said before them ("we're going with another vendor", "Clive signed it this
 * morning"); otherwise the furthest step the conversation reports: contract terms and redlines
 * (negotiation), a formal quote or proposal (proposal), a price or an evaluation (qualification).
 */

const CUES: Array<{ stage: DealStage; cue: RegExp }> = [
  {
    stage: "closed_lost",
    cue: /\b(?:go(?:ing)? with (?:another|a different|the other|a competing) (?:vendor|supplier|provider|partner|option)|went with (?:another|a different|the other|[A-Z]\w+)|(?:picked|chose|selected|awarded (?:it|the contract) to) (?:[A-Z]\w+|another|a different|the other)|decided (?:not to|against)|not (?:going to )?(?:move|moving) forward|won'?t be (?:moving forward|proceeding|going ahead)|(?:is|it's) a no(?: for us)?\b|not (?:to )?proceed|build (?:it|the \w+|this|that|the (?:\w+ )?team) in-house|(?:lost|losing) (?:it|the deal|this one) to|no longer (?:interested|pursuing|going ahead)|(?:cancel(?:l?ed)?|pull(?:ed)? the plug on) the (?:project|deal|evaluation|purchase)|pass(?:ing)? on (?:this|it|the proposal))/i,
  },
  {
    stage: "closed_won",
    cue: /\b(?:(?:we |they |has |have |just |finally )?(?:signed|countersigned) (?:the |our |your |it\b|off on the )?(?:contract|order|agreement|po|purchase order|sow|statement of work|deal|it|paperwork|form)?|(?:po|purchase order) (?:is|was|has been|went) (?:issued|raised|signed|sent|approved|on its way|in)|signed the po|we'?re good to go|good to go\b|welcome aboard|it'?s a go\b|deal is (?:closed|done|signed)|(?:we|they) (?:have )?(?:signed|bought|purchased))/i,
  },
  {
    stage: "negotiation",
    cue: /\b(?:redlines?|red-?lined|negotiat\w*|contract (?:terms|draft|review)|draft contract|contract draft|final terms|liability cap|indemnit\w+|(?:msa|master (?:services )?agreement)|legal (?:review|is reviewing|has the|team is)|payment (?:terms|schedule|milestones)|milestone payments?|counter-?offer|term sheet|procurement (?:review|has)|send (?:us|over) the contract|the contract to|with the contract|terms and conditions)\b/i,
  },
  {
    stage: "proposal",
    cue: /\b(?:(?:the|our|your|this|my) (?:formal |revised |updated |written )?proposal|formal (?:quote|number|offer|pricing)|order form|statement of work|sow\b|(?:sent|attached|updated|revised|here is|here's) (?:the |a |our |you )?(?:quote|quotation|pricing|proposal|offer)|send (?:us|me) (?:a|the|your) (?:proposal|quote|quotation)|i quoted|we quoted|quoted (?:them|you|us)|the quote|it came to)\b/i,
  },
  {
    stage: "qualification",
    cue: /\b(?:pilot|trial|proof of concept|poc|evaluat\w*|demo|business case|budget|price|pricing|cost|looking at|ballpark|rough number|indicative|quoted?)\b/i,
  },
];

const NOT_THE_DEAL =
  /\b(?:nda|non-disclosure|confidentiality|data processing (?:agreement|terms)|dpa|mutual nda|letter of intent|loi|pilot agreement|trial agreement|poc agreement)\b/i;

const ORDER: DealStage[] = ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"];

export function stageOf(scope: readonly Statement[], priced: boolean): { stage: DealStage; evidence: string | null } {
  let best: { stage: DealStage; evidence: string | null } = { stage: priced ? "qualification" : "prospecting", evidence: null };
  let closed: { stage: DealStage; evidence: string; at: number } | null = null;
  for (const s of scope) {
    if (/\?\s*$/.test(s.sentence) || /\b(?:if|once|when|until|before)\b[^.]{0,40}\b(?:sign|signed|po)\b/i.test(s.sentence)) {
      // "Once it's signed, ..." and questions report nothing that happened.
      if (!/\b(?:signed|countersigned)\b[^.]{0,30}\b(?:yesterday|today|this morning|on \w+day|last week)\b/i.test(s.sentence)) continue;
    }
    // "I'll send you a proposal after the survey" promises a step that has not happened.
    const promised = /\b(?:I|we)(?:'ll| will| can| could|'d| would)\b|\b(?:going to|plan to)\b/i;
    for (const { stage, cue } of CUES) {
      const hit = cue.exec(s.sentence);
      if (!hit) continue;
      if ((stage === "proposal" || stage === "negotiation") && promised.test(s.sentence.slice(0, hit.index)) && !/\b(?:revised|updated|formal)\b/i.test(hit[0]))
        continue;
      // Signing an NDA or a data agreement is a step before the deal, not its close.
      if (stage === "closed_won" && NOT_THE_DEAL.test(s.sentence)) continue;
      if (stage === "closed_lost" || stage === "closed_won") {
        if (closed === null || s.at >= closed.at) closed = { stage, evidence: s.sentence, at: s.at };
      } else if (ORDER.indexOf(stage) > ORDER.indexOf(best.stage)) {
        best = { stage, evidence: s.sentence };
      }
      break;
    }
  }
  return closed ? { stage: closed.stage, evidence: closed.evidence } : best;
}

/** A sentence that closes a deal either way ("we're going with another vendor for the migration"). */
export function closesDeal(sentence: string): boolean {
  return CUES.some(({ stage, cue }) => (stage === "closed_lost" || stage === "closed_won") && cue.test(sentence)) && !NOT_THE_DEAL.test(sentence);
}
