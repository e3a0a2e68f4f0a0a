import type { ActionItemStatus, ExtractedActionItem } from "@dealgraph/extraction";
import nlp from "compromise";
import { findDueHint, stripPastTime } from "./due-hints";
import { classifyTopic } from "./topic-rules";
import { baseForm, capitalizeFirst, contentTerms, jaccard } from "./text-features";
import type { Participants, Person, Utterance } from "./transcript";

/*
 * Commitments in a conversation, found by rules:
 * - promises: "I'll send…", "I will…", "Sam will…", "I still owe…", "Let me…";
 * - requests: "Sam, can you…?", "please…", "can someone…?" — owned by whoever is asked, and
 *   folded into the commitment that person answers with;
 * - proposals: "let's…" — folded into a matching commitment that follows;
 * - reports: "I sent the case study", "the support case is closed", "the review has started".
 * Conditional promises ("if the pilot works, I'll…") and questions are not commitments.
 *
 * Reports and "I still owe…" speak of a commitment made earlier: when the account's open items
 * are known, such an item takes the stored text and owner of the known item whose object (the
 * text after its verb) it shares, so that the pipeline matches it exactly. New promises never
 * do: "I'll confirm the credits" is a new commitment even when "track down the credits" is open.
 */

type Kind = "promise" | "request" | "proposal" | "report";

interface Candidate {
  kind: Kind;
  utterance: number;
  owner: string | null;
  text: string;
  due: string | null;
  status: ActionItemStatus;
  confidence: number;
  quote: string;
  /** For requests: who was asked. */
  addressee?: string | null;
  /** Speaks of an earlier commitment (a report, "I still owe…"). */
  continues?: boolean;
  /** Evidence only of something done, not of a commitment ("thanks for the memo"): kept only for a known item it reports on. */
  weak?: boolean;
}

export interface KnownItem {
  text: string;
  owner_name: string | null;
}

const NOT_ACTIONS = new Set([
  "be",
  "want",
  "like",
  "love",
  "know",
  "think",
  "guess",
  "hear",
  "see",
  "wait",
  "bet",
  "say",
  "remember",
  "mean",
  "agree",
  "understand",
  "appreciate",
  "admit",
  "assume",
  "cover",
  "discuss",
  "go",
  "walk",
  "let",
  "stay",
  "listen",
  "leave",
  "try",
  "park",
  "pause",
  "jump",
  "promise",
  "guarantee",
  "match",
  "champion",
  "sponsor",
  "advocate",
]);
const META_PROPOSALS =
  /^(go|talk|discuss|start|begin|move|recap|review|wrap|get started|get straight|get into|get going|cover|focus|keep|be|see|hear|dig|jump|take a (quick )?look|take it|do (quick )?intros|do|look|circle|chat|think|make it|pause|hold|park|stay|leave|come back|set out|say|agree|call it|assume|put a pin|table|revisit|reconvene|regroup|pick|give)\b/i;
const EMPTY_REQUESTS = /^(do|go ahead|feel free|hold|bear with|note|let me know if|be aware|keep in mind|continue|proceed|join)\b/i;
const ACCEPTANCE = /^(yes|yeah|yep|sure|absolutely|of course|will do|ok|okay|happy to|no problem|can do|definitely|sounds good|on it)\b/i;

const CLAUSE_END =
  /\s+(?:so that|so|because|since|which|while|unless|as soon as)\s+(?:I|we|you|he|she|they|it|the|our|your|everyone|anyone)\b|,\s*(?:so|but|and then|which|because|since|they|he|she|it|that way|as|thanks|thank you)\b|,\s*and\s+(?:it|that|this|there|I|we|you|he|she|they|[A-Z][a-z]+)\b|\s+and\s+(?:I|we)(?:'ll|’ll| will)\b|\s+if\s+|\s+[—–]\s+|\s+-\s+/;

const PROMISE =
  /\b(I|i|we|We|He|She|[A-Z][a-z]+)(?:'ll|’ll| will| shall| am going to|'m going to|’m going to| are going to|'re going to|’re going to| is going to|'s going to| can| am| 'm|'m|’m)\s+(?:(?:also|then|just|definitely|personally|happily|gladly|first|now|still|try to|make an effort to|um|uh|i'll|i)\s+)*([a-z](?:(?!,?\s+(?:and|but|so|while)\s+(?:I|we|i|[A-Z][a-z]+)(?:'ll|’ll| will| is going to| are going to)\b)[^.;!?])*)/g;
const OWE = /\bI (?:still )?owe (?:you |them |him |her |everyone )?([^.;!?]+)/;
const LET_ME = /\bLet me\s+([a-z][^.;!?]*)/;
const LETS = /\b[Ll]et['’]s\s+([a-z][^.;!?]*)/;
const ASK = /(?:^|[.!?]\s+|,\s*)(?:([A-Z][a-z]+),\s+)?(?:can|could|would|will)\s+(you|someone|somebody|anyone|one of you)\s+(?:please\s+)?([a-z][^?]*)\?/;
const PLEASE = /(?:^|\b(?:so|and|but)\s+|[.!?,]\s+)(?:([A-Z][a-z]+),\s+)?please\s+([a-z][^.;!?]*)/;

const REPORTED_PAST: Record<string, string> = {
  sent: "Send",
  shared: "Share",
  completed: "Complete",
  finished: "Finish",
  booked: "Book",
  scheduled: "Schedule",
  applied: "Apply",
  fixed: "Fix",
  closed: "Close",
  started: "Start",
  delivered: "Deliver",
  signed: "Sign",
  submitted: "Submit",
  uploaded: "Upload",
  emailed: "Email",
  filed: "File",
  opened: "Open",
  provisioned: "Provision",
  circulated: "Circulate",
  drafted: "Draft",
  prepared: "Prepare",
  ran: "Run",
  held: "Hold",
  reviewed: "Review",
  attached: "Send",
  put: "Put",
  published: "Publish",
  updated: "Update",
  added: "Add",
  invited: "Invite",
  confirmed: "Confirm",
  resolved: "Resolve",
  recorded: "Record",
  built: "Build",
  returned: "Return",
  forwarded: "Send",
  did: "Do",
  reserved: "Reserve",
  presented: "Present",
  ordered: "Order",
  arranged: "Arrange",
  organised: "Organise",
  organized: "Organize",
  installed: "Install",
  shipped: "Ship",
};
const ACTIVE_REPORT = new RegExp(
  String.raw`\b(I|we|We|[A-Z][a-z]+)(?:\s+|['’]ve\s+)(?:(?:already|just|finally|also|now|have|has|'ve)\s+){0,2}(${Object.keys(REPORTED_PAST).join("|")})\s+(?:(?:him|her|them|you|us|[A-Z][a-z]+)\s+)?((?:the|a|an|our|your|my|their|his|her|all)\s+[^,;:!?]+?)(?=[,;:!?]|\.(?:\s|$)|$)`,
  "g",
);
const STATE_VERB: Record<string, { verb: string; status: ActionItemStatus }> = {
  done: { verb: "Complete", status: "done" },
  complete: { verb: "Complete", status: "done" },
  completed: { verb: "Complete", status: "done" },
  finished: { verb: "Finish", status: "done" },
  fixed: { verb: "Fix", status: "done" },
  resolved: { verb: "Resolve", status: "done" },
  closed: { verb: "Close", status: "done" },
  applied: { verb: "Apply", status: "done" },
  booked: { verb: "Schedule", status: "done" },
  scheduled: { verb: "Schedule", status: "done" },
  sent: { verb: "Send", status: "done" },
  attached: { verb: "Send", status: "done" },
  signed: { verb: "Sign", status: "done" },
  live: { verb: "Launch", status: "done" },
  approved: { verb: "Complete", status: "done" },
  started: { verb: "Start", status: "in_progress" },
  underway: { verb: "Start", status: "in_progress" },
  "under way": { verb: "Start", status: "in_progress" },
  "in progress": { verb: "Start", status: "in_progress" },
  begun: { verb: "Start", status: "in_progress" },
  cancelled: { verb: "Cancel", status: "cancelled" },
  canceled: { verb: "Cancel", status: "cancelled" },
  "on hold": { verb: "Pause", status: "cancelled" },
  well: { verb: "Complete", status: "done" },
  fine: { verb: "Complete", status: "done" },
  smoothly: { verb: "Complete", status: "done" },
  back: { verb: "Return", status: "done" },
};
const STATE_REPORT =
  /^(?:(the|our|your|my|their)\s+)?([A-Za-z0-9][\w'’ -]{2,90}?)\s+(?:is|are|has been|have been|was|were|got|has|have|went|came)\s+(?:now\s+|already\s+|all\s+|finally\s+|officially\s+)?(done|complete|completed|finished|fixed|resolved|closed|applied|booked|scheduled|sent|attached|signed|approved|live|started|underway|under way|in progress|begun|cancelled|canceled|on hold|well|fine|smoothly|back)\b(.*)$/i;
const PRONOUN_SUBJECT = /^(it|that|this|that one|this one|everything|all|which|they|he|she|we|i|you|there)$/i;

function progressiveToBase(verb: string): string {
  const v = verb.toLowerCase();
  const base: Record<string, string> = {
    putting: "put",
    setting: "set",
    getting: "get",
    sending: "send",
    sharing: "share",
    writing: "write",
    preparing: "prepare",
    scheduling: "schedule",
    arranging: "arrange",
  };
  return base[v] ?? v.replace(/ing$/, "");
}

function cutClause(text: string): string {
  const end = CLAUSE_END.exec(text);
  return (end ? text.slice(0, end.index) : text).replace(/[\s,;:]+$/, "").trim();
}

/** "need to send X" → "send X"; null when the verb is not an action ("be", "want"). */
function actionPhrase(clause: string): string | null {
  // "Judith will want to talk about NDAs" is a wish about the meeting, not a commitment.
  if (/^(?:want to|would like to|like to|hope to)\b/i.test(clause)) return null;
  const phrase = clause.replace(/^(?:need to|have to|try to|be sure to|make sure to)\s+/i, "");
  const verb = phrase.split(/\s+/)[0]?.toLowerCase() ?? "";
  if (verb === "" || verb === "not" || verb === "never" || NOT_ACTIONS.has(verb)) return null;
  if (verb === "need" || verb === "have") return null; // "we'll need your SOC 2 report" is a requirement
  return phrase;
}

function withDue(text: string): { text: string; due: string | null } {
  const due = findDueHint(text);
  return due ? { text: capitalizeFirst(due.rest.trim()), due: due.hint } : { text: capitalizeFirst(text.trim()), due: null };
}

function resolveOwner(subject: string, speaker: string | null, participants: Participants, before = ""): Person | null | "speaker" {
  if (/^(I|we)$/i.test(subject)) return "speaker";
  if (/^(he|she)$/i.test(subject)) {
    // "He'll rack them when they arrive": the last other person named before it.
    return participants.lastNamedIn(before, (p) => p.name !== speaker);
  }
  return participants.resolve(subject);
}

const FILLERS = /\b(?:um+|uh+|erm|you know|like,|i mean|kind of|sort of)\s+/gi;
/** "I'm sending", "I am putting together": the present progressive of a first-person plan, not a description. */
const PROGRESSIVE_PLAN = /^(?:sending|putting|preparing|drafting|writing|booking|setting|scheduling|sharing|pulling|getting|arranging|working on)\b/i;

function promisesIn(sentence: string, u: Utterance, participants: Participants, context = ""): Candidate[] {
  if (sentence.trim().endsWith("?")) return [];
  const found: Candidate[] = [];
  const said = sentence.replace(FILLERS, "");
  for (const m of said.matchAll(PROMISE)) {
    const [subject = "", rest = ""] = [m[1], m[2]];
    const auxiliary = m[0].slice(subject.length).trimStart().split(/\s+/)[0]?.toLowerCase() ?? "";
    // "I can export the logs" offers; "I'm sending the scope" plans; "I'm happy", "we can see" do neither.
    if ((auxiliary === "can" || auxiliary === "am" || auxiliary === "'m" || auxiliary === "’m") && !/^(?:i|we)$/i.test(subject)) continue;
    if ((auxiliary === "am" || auxiliary === "'m" || auxiliary === "’m") && !PROGRESSIVE_PLAN.test(rest)) continue;
    // "That's not something we can do", "I can approve up to 100k myself": a limit or a capability, not a commitment.
    if (
      auxiliary === "can" &&
      (/\b(?:not|n't|never|no|only)\b[^.;]{0,25}$/i.test(said.slice(0, m.index)) ||
        /^(?:do|approve|sign|promise|guarantee|commit|match|see|tell|say|hear|live|go|offer|help|use|invoice|bill|charge|price|discount|include|cover|work|support|handle|start|move|give)\b/i.test(
          rest,
        ))
    )
      continue;
    const before = said.slice(0, m.index);
    const conditional = /\b(?:if|once|as soon as|when|provided|assuming|unless)\b/i.test(before);
    const owner = resolveOwner(subject, u.speaker, participants, `${context} ${said.slice(0, m.index)}`);
    if (owner === null) continue;
    const phrase = actionPhrase(
      cutClause(
        rest.replace(/^(?:sending|putting|preparing|drafting|writing|booking|setting|scheduling|sharing|pulling|getting|arranging)\b/i, (v) =>
          progressiveToBase(v),
        ),
      ),
    );
    if (phrase === null) continue;
    const { text, due } = withDue(phrase);
    found.push({
      kind: "promise",
      utterance: u.index,
      owner: owner === "speaker" ? u.speaker : owner.name,
      text,
      due,
      status: "open",
      confidence: (owner === "speaker" ? (/^we$/i.test(subject) ? 0.7 : 0.85) : 0.75) - (conditional ? 0.15 : 0) - (auxiliary === "can" ? 0.1 : 0),
      quote: sentence,
    });
  }
  // "What I can do is put in a temporary link": an offer stated as what is possible.
  const offer = /\bwhat (?:I|we) can do is\s+([a-z][^.;!?]*)/i.exec(said);
  if (offer?.[1] && found.length === 0) {
    const phrase = actionPhrase(cutClause(offer[1]));
    if (phrase) {
      const { text, due } = withDue(phrase);
      found.push({ kind: "promise", utterance: u.index, owner: u.speaker, text, due, status: "open", confidence: 0.7, quote: sentence });
    }
  }
  const owe = OWE.exec(sentence);
  if (owe?.[1]) {
    const { text, due } = withDue(`deliver ${cutClause(owe[1])}`);
    found.push({ kind: "promise", utterance: u.index, owner: u.speaker, text, due, status: "open", confidence: 0.8, quote: sentence, continues: true });
  }
  const letMe = LET_ME.exec(sentence);
  if (
    letMe?.[1] &&
    !/^(be|know|ask|say|see|think|start|just|understand|clarify|explain|introduce|recap|jump|go|repeat|summari[sz]e|take a step|put it)\b/i.test(letMe[1])
  ) {
    const { text, due } = withDue(cutClause(letMe[1]));
    found.push({ kind: "promise", utterance: u.index, owner: u.speaker, text, due, status: "open", confidence: 0.7, quote: sentence });
  }
  return found;
}

function requestsIn(sentence: string, u: Utterance, next: Utterance | undefined, participants: Participants): Candidate[] {
  const found: Candidate[] = [];
  const addresseeOf = (vocative: string | undefined) =>
    (vocative ? participants.resolve(vocative)?.name : undefined) ?? (next?.speaker && next.speaker !== u.speaker ? next.speaker : null);
  // A request asked of someone: no owner yet; who it was asked of (the addressee) settles that later.
  const request = (vocative: string | undefined, clause: string) => {
    const phrase = actionPhrase(cutClause(clause));
    if (!phrase) return;
    const { text, due } = withDue(phrase);
    found.push({
      kind: "request",
      utterance: u.index,
      owner: null,
      addressee: addresseeOf(vocative),
      text,
      due,
      status: "open",
      confidence: 0.6,
      quote: sentence,
    });
  };
  const ask = ASK.exec(sentence);
  if (ask?.[3]) request(ask[1], ask[3]);
  const please = PLEASE.exec(sentence);
  if (please?.[2] && !EMPTY_REQUESTS.test(please[2])) request(please[1], please[2].replace(/\s+when you can$/i, ""));
  const lets = LETS.exec(sentence);
  if (lets?.[1] && !META_PROPOSALS.test(lets[1])) {
    const { text, due } = withDue(cutClause(lets[1]));
    found.push({ kind: "proposal", utterance: u.index, owner: u.speaker, text, due, status: "open", confidence: 0.55, quote: sentence });
  }
  return found;
}

/** "The Lowmoor case study you sent went down well": a thing done, named with who did it. */
const RELATIVE_REPORT = new RegExp(
  String.raw`\b([Tt]he|[Yy]our|[Oo]ur|[Tt]heir)\s+((?:[\w'’-]+\s+){0,5}?[\w'’-]+)\s+(?:that\s+|which\s+)?(you|I|we|he|she|[A-Z][a-z]+)\s+(?:already\s+|just\s+)?(${Object.keys(REPORTED_PAST).join("|")})\b`,
);

/** Who "you" is in a turn: the last speaker before it from the other side. */
function addresseeOf(u: Utterance, utterances: readonly Utterance[], participants: Participants): string | null {
  const earlierSpeakers = utterances.slice(0, u.index).map((x) => x.speaker);
  return participants.addressee(u.speaker, earlierSpeakers);
}

/** "Thank you for the completed questionnaire", "Arash, thanks for the summaries": the one thanked did it. */
const THANKS_FOR =
  /\b(?:([A-Z][a-z]+),\s+)?(?:thank you|thanks)(?:\s+(?:as well|again|also|so much))?\s+for\s+(?:sending\s+(?:over\s+)?|turning\s+)?((?:the|your)\s+(?:[\w'’-]+\s+){0,6}?[\w'’-]+?)(?=\s+(?:around|over|so|which|and|it|that|—|-)\b|[,;.!?]|$)/i;
/** "I watched the demo recording", "we've read your breakdown": the one it was sent to says it arrived. */
const RECEIVED =
  /\b(?:I|we)(?:'ve| have)?\s+(?:(?:now|already|finally)\s+)?(?:watched|read|reviewed|received|got|looked at|gone through|went through|had a look at)\s+((?:the|your)\s+(?:[\w'’-]+\s+){0,5}?[\w'’-]+?)(?=\s+(?:and|so|which|over|last|yesterday|this|on)\b|[,;.!?]|$)/i;
/** "Attached is the revised proposal", "attached are the full proposal and the pilot proposal". */
const ATTACHED = /\b(?:attached|enclosed|here)\s+(?:is|are)\s+((?:the|our|my|a)\s+[^;!?]+?)(?=[,;!?]|\.(?:\s|$)|$)/i;
/** "Lin Qiao's data processing terms went to our DPO", "the integration guide went to Pradeep last week". */
const THING_WENT =
  /\b(?:([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)['’]s|[Tt]he|[Oo]ur|[Yy]our)\s+((?:[\w'’-]+\s+){0,5}?[\w'’-]+)\s+(?:(?:went|was sent|were sent|got sent)\s+(?:over\s+)?(?:to|across)|came (?:over|in|back|through)|arrived)\b/;

function reportsIn(sentence: string, u: Utterance, participants: Participants, utterances: readonly Utterance[]): Candidate[] {
  const found: Candidate[] = [];
  const report = (owner: string | null, text: string) =>
    found.push({
      kind: "report",
      utterance: u.index,
      owner,
      text: capitalizeFirst(text),
      due: null,
      status: "done",
      confidence: 0.6,
      quote: sentence,
      continues: true,
      weak: true,
    });
  const relative = RELATIVE_REPORT.exec(sentence);
  if (relative?.[1] && relative[2] && relative[3] && relative[4] && !/\b(?:if|when|once)\b/i.test(sentence.slice(0, relative.index))) {
    const subject = relative[3];
    const owner = /^you$/i.test(subject)
      ? addresseeOf(u, utterances, participants)
      : /^(?:I|we)$/i.test(subject)
        ? u.speaker
        : (participants.resolve(subject)?.name ?? null);
    if (owner) {
      const verb = REPORTED_PAST[relative[4].toLowerCase()] ?? relative[4];
      // "the revised proposal with the tiers, the one you sent on the 8th": the thing named before "the one".
      const named = /^one$/i.test(relative[2]) ? /\b(?:the|your|our)\s+((?:[\w'’-]+\s+){0,6}?[\w'’-]+),\s+$/i.exec(sentence.slice(0, relative.index)) : null;
      const object = named ? `the ${named[1]}` : `${relative[1].toLowerCase()} ${relative[2]}`;
      if (!/^one$/i.test(relative[2]) || named) {
        found.push({
          kind: "report",
          utterance: u.index,
          owner,
          text: `${verb} ${object}`,
          due: null,
          status: "done",
          confidence: 0.65,
          quote: sentence,
          continues: true,
        });
      }
    }
  }
  // Every report of the sentence: "Judith's NDA came over and we signed it; Wallace sent the samples".
  for (const active of sentence.matchAll(ACTIVE_REPORT)) {
    if (!active[1] || !active[2] || !active[3] || /\bif\b/i.test(sentence.slice(0, active.index))) continue;
    const owner = resolveOwner(active[1], u.speaker, participants);
    // Someone from an earlier call ("Bronwyn forwarded your breakdown"): not a participant of
    // this one, so only a report on one of the account's open items.
    const absent = owner === null && /^[A-Z][a-z]+$/.test(active[1]) && !/^(?:We|The|They|It|This|That|Legal|Finance|Procurement)$/.test(active[1]);
    if (owner !== null || absent) {
      const verb = REPORTED_PAST[active[2].toLowerCase()] ?? active[2];
      const object = stripPastTime(cutClause(active[3]));
      found.push({
        kind: "report",
        utterance: u.index,
        owner: owner === null ? active[1] : owner === "speaker" ? u.speaker : owner.name,
        text: `${verb} ${object}`,
        due: null,
        status: active[2].toLowerCase() === "started" ? "in_progress" : "done",
        confidence: 0.7,
        quote: sentence,
        continues: true,
        weak: absent,
      });
    }
  }
  const thanks = THANKS_FOR.exec(sentence);
  if (thanks?.[2] && !/\b(?:call|time|meeting|update|help|coming|joining|having)\b/i.test(thanks[2])) {
    const thanked = thanks[1] ? (participants.resolve(thanks[1])?.name ?? null) : addresseeOf(u, utterances, participants);
    report(thanked, `send ${thanks[2].replace(/^your\s+/i, "the ")}`);
  }
  const received = RECEIVED.exec(sentence);
  if (received?.[1] && !/\b(?:if|when|once|haven't|not)\b/i.test(sentence.slice(0, received.index))) {
    report(addresseeOf(u, utterances, participants), `send ${received[1].replace(/^your\s+/i, "the ")}`);
  }
  const attached = ATTACHED.exec(sentence);
  if (attached?.[1] && u.speaker) {
    for (const part of attached[1].split(/,\s+(?:and\s+)?|\s+and\s+(?=the\s)/))
      report(u.speaker, `send ${stripPastTime(cutClause(part)).replace(/\s*\([^)]*\)/g, "")}`);
  }
  const went = THING_WENT.exec(sentence);
  if (went?.[2] && !/\b(?:if|when|once)\b/i.test(sentence.slice(0, went.index))) {
    const owner = went[1] ? (participants.resolve(went[1])?.name ?? null) : u.speaker;
    report(owner, `send the ${went[2]}`);
  }
  if (found.length > 0) return found;
  const clauses = sentence.split(/,\s*(?:and|but|so)\s+|;\s+|\s+and\s+(?=the\s)/);
  for (const clause of clauses) {
    // "Based on that, the placement plan is done": a lead-in before the subject.
    const state = STATE_REPORT.exec(
      clause
        .replace(/^(?:and|but|so|also|good|great)[,.]?\s+/i, "")
        .replace(/^[^,]{2,30},\s+(?=(?:the|our|your|my|their)\s)/i, "")
        .trim(),
    );
    if (!state?.[2] || !state[3]) continue;
    const subject = state[2].trim();
    if (PRONOUN_SUBJECT.test(subject) || subject.split(/\s+/).length > 12) continue;
    const outcome = STATE_VERB[state[3].toLowerCase()];
    if (!outcome) continue;
    if (/^(well|fine|smoothly)$/i.test(state[3]) && !/\bwent\b/i.test(clause)) continue;
    if (/^back$/i.test(state[3]) !== /\bcame\s+back\b/i.test(clause)) continue;
    const determiner = state[1] ? state[1].toLowerCase() : "the";
    // Only a sentence-initial word lost its capital to grammar; "the February credits" keeps it.
    const noun = state[1] || /^[A-Z]{2,}/.test(subject) ? subject : subject[0]!.toLowerCase() + subject.slice(1);
    const tail = (state[4] ?? "").replace(/[.!?,\s]+$/, "").trim();
    const due = findDueHint(tail);
    const extra = tail && !due && /^(to|for|with|on)\b/i.test(tail) ? ` ${cutClause(tail)}` : "";
    found.push({
      kind: "report",
      utterance: u.index,
      owner: u.speaker,
      text: `${outcome.verb} ${determiner} ${noun}${extra}`,
      due: due?.hint ?? null,
      status: outcome.status,
      confidence: 0.65,
      quote: sentence,
      continues: true,
      // "The chatbot is on hold" cancels a task only if one was promised; otherwise it is news about the deal.
      weak: outcome.status === "cancelled",
    });
  }
  return found;
}

/** Texts a rule cut in the wrong place: a question or a clause inside, or a dangling last word. */
const GARBLED = /\b(?:could you|would you|let me know|whether|not before)\b|\s(?:and|or|the|to|of|a|an|with)$|^\w+$/i;

/** "Send it", "send both", "get those to you", "ask him": the object is elsewhere in the conversation. */
const VAGUE_OBJECT = /^(?:it|that|this|them|those|these|both|one|all|everything|that one|this one|both of them|the two|him|her|over|across|through|back)\b/i;
const objectOf = (text: string) => text.split(/\s+/).slice(1).join(" ");
/** Something asked or offered as a question: "Could you also send the drive specs?", "Would it help if I wrote up a summary?" */
const ASKED_OR_OFFERED =
  /\b(?:could|can|would|will) (?:you|someone|one of you)\s+(?:also\s+|please\s+)?([a-z][^?]*)\?|\b(?:would it help if|shall|should|do you want me to|want me to|can|could) (?:I|we)\s+(?:also\s+)?([a-z][^?]*)\?|\b(?:please|pls)\s+([a-z][^.!?]*)/i;
const NOUN_BEFORE = /\b((?:the|our|your|their|a|an)\s+(?:[\w-]+\s+){0,4}?[\w-]+)\s+(?:needs|is|are|will|has|should|came|went|looks)\b/i;
const PERSON_PRONOUN = /^(?:him|her|them)\b/i;
/** "I need your completed supplier questionnaire": the thing a turn asks for or offers, named. */
const WANTED_THING =
  /\b(?:need|needs|want|wants|wanted|asked for|asks for|requested|send|sending|share|get|fill (?:in|out)|complete|review|sign|attach(?:ed)?|expect)\s+(?:you\s+|us\s+|me\s+)?((?:the|your|our|a|an|this|that)\s+(?:[\w'’-]+\s+){0,4}[\w'’-]*[a-z]{3,})(?=\s*(?:[,.;!?]|$)|\s+(?:by|for|to|with|from|before|after|today|tomorrow|and|so|as|in|on|at|within|this|next|when|once|if)\b)/i;

/**
 * The object of "I'll send that over today": what the other side asked for or was offered in the
 * turns just before ("Would it help if I wrote up a one-page summary for Declan?" → "Write up a
 * one-page summary for Declan"), or the thing named earlier in the same sentence ("the benchmark
 * needs two more weeks; I will send it"). Left as it is when nothing fits.
 */
function resolveVagueObject(item: Candidate, utterances: readonly Utterance[], participants: Participants): void {
  const object = objectOf(item.text);
  if (!VAGUE_OBJECT.test(object)) return;
  // "I'll set that up with X": the particle stays with its verb ("set up a reference call with X").
  const particle = /^(?:it|that|this|them)\s+(up|over|out|together|back)\b/i.exec(object)?.[1];
  const verb = `${item.text.split(/\s+/)[0] ?? ""}${particle ? ` ${particle.toLowerCase()}` : ""}`;
  const tail = object
    .replace(VAGUE_OBJECT, "")
    .trim()
    .replace(particle ? new RegExp(`^${particle}\\b\\s*`, "i") : /^$/, "");
  const sentenceBefore =
    item.quote.split(/\b(?:I|we|i|[A-Z][a-z]+)(?:'ll|’ll| will| am| can| is going to)\s+(?:also\s+)?[a-z]+\s+(?:it|that|this|them|those|these|both)\b/)[0] ??
    "";
  const named = NOUN_BEFORE.exec(sentenceBefore);
  // "Pradeep will send their security questionnaire, and Emeka will complete it": the last thing named before the pronoun.
  const lastNamed = WANTED_THING.exec(sentenceBefore);
  const antecedent = named?.[1] ?? lastNamed?.[1];
  if (antecedent && !PERSON_PRONOUN.test(object) && sentenceBefore.length < item.quote.length) {
    item.text = capitalizeFirst(`${verb.toLowerCase()} ${antecedent.replace(/^(?:your|their)\s+/i, "the ")}${tail ? ` ${tail}` : ""}`);
    return;
  }
  // "I need your completed supplier questionnaire. I'll send it over today."
  const speaking = utterances[item.utterance];
  const sentenceIndex = speaking ? speaking.sentences.indexOf(item.quote) : -1;
  const earlierSentences = [
    ...(speaking && sentenceIndex > 0 ? speaking.sentences.slice(0, sentenceIndex).reverse() : []),
    ...[...utterances.slice(Math.max(0, item.utterance - 1), item.utterance)].reverse().flatMap((u) => [...u.sentences].reverse()),
  ];
  if (!PERSON_PRONOUN.test(object)) {
    for (const sentence of earlierSentences) {
      const wanted = WANTED_THING.exec(sentence);
      if (wanted?.[1] && !sentence.endsWith("?")) {
        item.text = capitalizeFirst(`${verb.toLowerCase()} ${wanted[1].replace(/^(?:your|our)\s+/i, "the ")}${tail ? ` ${tail}` : ""}`);
        return;
      }
    }
  }
  for (const u of [...utterances.slice(Math.max(0, item.utterance - 3), item.utterance)].reverse()) {
    for (const sentence of [...u.sentences].reverse()) {
      const m = ASKED_OR_OFFERED.exec(sentence);
      const asked = m?.[1] ?? m?.[2] ?? m?.[3];
      if (asked) {
        // "Would it help if I wrote up a summary?": the offer's verb in its base form.
        const phrase = actionPhrase(cutClause(asked).replace(/^(\S+)/, (verb) => baseForm(verb)));
        if (phrase) {
          item.text = PERSON_PRONOUN.test(object) ? `${capitalizeFirst(item.text)} about: ${cutClause(sentence.replace(/\?$/, ""))}` : capitalizeFirst(phrase);
          return;
        }
      }
      if (PERSON_PRONOUN.test(object) && sentence.endsWith("?")) {
        const person = participants.people.find((p) => new RegExp(`\\b${p.name.split(/\s+/)[0]}\\b`).test(sentence));
        if (person) {
          item.text = `${verb} ${person.name.split(/\s+/)[0]} ${sentence
            .replace(/^(?:would|could|will|can|does|do|is)\s+/i, "")
            .replace(new RegExp(`^${person.name.split(/\s+/)[0]}\\s+`), "")
            .replace(/\?$/, "")}`.replace(/\s+/g, " ");
          return;
        }
      }
    }
  }
}

/** The first promise the addressee makes in their next turn (within two turns), if any. */
function answeringPromise(request: Candidate, candidates: Candidate[], utterances: readonly Utterance[]): Candidate | undefined {
  const answer = utterances.slice(request.utterance + 1, request.utterance + 3).find((u) => u.speaker === request.addressee);
  if (!answer) return undefined;
  return candidates.find((c) => c.kind === "promise" && c.utterance === answer.index && c.owner === request.addressee);
}

/** The terms after the verb: what a commitment is about, which survives a change of status. */
function objectTerms(text: string): Set<string> {
  return new Set(contentTerms(text.split(/\s+/).slice(1).join(" ")));
}

interface TaggedTerm {
  text: string;
  tags: string[];
}

/** The head nouns of an item's object: "recording" of "Send Patience the recording of the chatbot demo". */
function headsOf(text: string): Set<string> {
  const terms = (nlp(text).json() as Array<{ terms: TaggedTerm[] }>).flatMap((s) => s.terms).slice(1);
  const is = (t: TaggedTerm, ...tags: string[]) => tags.some((tag) => t.tags.includes(tag));
  const heads = new Set<string>();
  let inPhrase = false;
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i]!;
    const next = terms[i + 1];
    // "Send Patience the recording": a name before the object is who receives it.
    const recipient = !inPhrase && is(term, "ProperNoun") && next !== undefined && is(next, "Determiner", "Possessive");
    if (is(term, "Person", "Pronoun") || recipient || (!inPhrase && is(term, "Determiner", "Possessive"))) continue;
    // "a sizing", "the recording": a gerund after a determiner is a noun.
    const previous = terms[i - 1];
    if (is(term, "Gerund") && previous !== undefined && is(previous, "Determiner", "Possessive", "Adjective")) term.tags.push("Noun");
    if (!is(term, "Noun", "Adjective", "Value")) {
      if (inPhrase) break;
      continue;
    }
    inPhrase = true;
    // The phrase's last noun, and a noun joined to it by "and" ("the survey and the sizing").
    if (is(term, "Noun") && (!next || !is(next, "Noun", "Adjective"))) {
      for (const t of contentTerms(term.text)) heads.add(t);
      if (next && /^(?:and|&)$/i.test(next.text)) {
        inPhrase = false;
        continue;
      }
      break;
    }
  }
  return heads;
}

/**
 * The known item a continuing item speaks of: the best share of the smaller object's terms, at
 * least 0.6 and at least two terms (one when that is the whole object); ties go to the most
 * recent known item, which comes first.
 */
function knownItemFor(item: Candidate, knownItems: readonly KnownItem[]): KnownItem | null {
  const terms = objectTerms(item.text);
  let best: { item: KnownItem; score: number } | null = null;
  for (const known of knownItems) {
    const other = [...objectTerms(known.text)];
    const shared = other.filter((t) => terms.has(t));
    const smaller = Math.min(terms.size, other.length);
    if (smaller === 0 || shared.length < Math.min(2, smaller)) continue;
    // One word in common must be what the item is about: "the chatbot is on hold" says nothing
    // of "send the recording of the chatbot demo", whose object is the recording.
    if (shared.length === 1 && !headsOf(known.text).has(shared[0]!)) continue;
    // "Judith's NDA came over" (sent) is news of "send the NDA", not of "sign the NDA", when both are open.
    const sameVerb = baseForm(item.text.split(/\s+/)[0]!.toLowerCase()) === baseForm(known.text.split(/\s+/)[0]!.toLowerCase()) ? 0.01 : 0;
    // Who the report names as doing it counts before the verb ("thanks for the completed questionnaire" is the filler's, not the sender's).
    const sameOwner = item.owner !== null && known.owner_name === item.owner ? 0.02 : 0;
    const score = shared.length / smaller + sameOwner + sameVerb;
    if (score >= 0.6 && (best === null || score > best.score)) best = { item: known, score };
  }
  return best?.item ?? null;
}

export function extractActionItemsByRules(
  utterances: readonly Utterance[],
  participants: Participants,
  options: { knownItems?: readonly KnownItem[] } = {},
): ExtractedActionItem[] {
  const candidates: Candidate[] = [];
  for (const u of utterances) {
    const next = utterances[u.index + 1];
    u.sentences.forEach((sentence, i) => {
      const context = [...utterances.slice(Math.max(0, u.index - 2), u.index).map((x) => x.text), ...u.sentences.slice(0, i)].join(" ");
      const promises = promisesIn(sentence, u, participants, context);
      // "I still owe X. It'll be with Dana on Monday." — the due date can follow in the next sentence.
      const following = u.sentences[i + 1];
      for (const promise of promises) {
        if (promise.due === null && following && /^(it|that|this)(?:'ll|’ll| will)\b/i.test(following)) {
          promise.due = findDueHint(following)?.hint ?? null;
        }
      }
      candidates.push(...promises, ...requestsIn(sentence, u, next, participants));
      if (promises.length === 0) candidates.push(...reportsIn(sentence, u, participants, utterances));
    });
  }

  const items: Candidate[] = [];
  for (const candidate of candidates) {
    if (candidate.kind === "request") {
      const answer = answeringPromise(candidate, candidates, utterances);
      if (answer) {
        answer.due ??= candidate.due;
        if (VAGUE_OBJECT.test(objectOf(answer.text))) answer.text = candidate.text;
        continue;
      }
      const reply = utterances.slice(candidate.utterance + 1, candidate.utterance + 3).find((u) => u.speaker === candidate.addressee);
      items.push({
        ...candidate,
        owner: candidate.addressee ?? null,
        confidence: reply && ACCEPTANCE.test(reply.text) ? 0.8 : candidate.confidence,
      });
      continue;
    }
    if (candidate.kind === "proposal") {
      const terms = contentTerms(candidate.text);
      const answer = candidates.find(
        (c) =>
          c.kind === "promise" && c.utterance > candidate.utterance && c.utterance <= candidate.utterance + 2 && jaccard(terms, contentTerms(c.text)) >= 0.45,
      );
      if (answer) {
        answer.due ??= candidate.due;
        continue;
      }
    }
    items.push(candidate);
  }
  for (const item of items) resolveVagueObject(item, utterances, participants);

  const knownItems = options.knownItems ?? [];
  const unmatchedWeak = new Set<Candidate>();
  for (const item of items) {
    if (!item.continues) continue;
    const known = knownItemFor(item, knownItems);
    if (known === null) {
      if (item.weak) unmatchedWeak.add(item);
      continue;
    }
    item.text = known.text;
    item.owner = known.owner_name ?? item.owner;
  }
  items.splice(0, items.length, ...items.filter((item) => !unmatchedWeak.has(item)));

  // One commitment said twice in one conversation is one item; the later statement of status wins.
  const unique: Candidate[] = [];
  for (const item of items) {
    const terms = contentTerms(item.text);
    const same = unique.find(
      (kept) =>
        kept.text === item.text ||
        ((kept.owner === item.owner || kept.owner === null || item.owner === null) && jaccard(terms, contentTerms(kept.text)) >= 0.6),
    );
    if (same) {
      if (item.status !== "open") same.status = item.status;
      same.due ??= item.due;
      same.owner ??= item.owner;
      continue;
    }
    unique.push(item);
  }

  return unique
    .filter((item) => !GARBLED.test(item.text))
    .map((item) => ({
      text: item.text,
      owner_name: item.owner,
      owner_organization: item.owner ? participants.organizationOf(item.owner) : null,
      due_hint: item.due,
      status: item.status,
      topic: classifyTopic(`${item.text} ${item.quote}`),
      confidence: item.confidence,
      quote: item.quote,
    }));
}
