import type { MatchResolution } from "./resolve-matches";
import { placeByPosition } from "./place-by-position";

/** How one kind of record is merged, folded and created while an envelope's placements are folded. */
export interface FoldRules<Input, Rec, Source> {
  /** What a record is called in messages ("deal", "action item"). */
  noun: string;
  /** An input's normalised key: two new inputs with one key are one record. */
  key(input: Input): string;
  /** The stored records that resolutions point at. */
  stored: ReadonlyMap<string, Rec>;
  /** Where the envelope's changes come from, handed to `merge` and `absorb`. */
  source: Source;
  /** A stored record after every input of the envelope that matched it, and what that changed. */
  merge(base: Rec, incoming: readonly Input[], source: Source): { next: Rec; changedFields: string[] };
  /** A new record of this envelope after an input that repeats it. */
  absorb(record: Rec, input: Input, source: Source): Rec;
  /** A new record for the input at `index`, or a message saying why it cannot be created. */
  create(input: Input, index: number): Rec | string;
}

export interface FoldedCreate<Rec> {
  record: Rec;
  embedding: number[];
  /** Positions in the extraction that this record came from (more than one when folded). */
  indexes: number[];
}

export interface FoldedMerge<Rec, Input> {
  id: string;
  base: Rec;
  next: Rec;
  /** Empty when nothing tracked changed: the interaction only mentioned the record. */
  changedFields: string[];
  incoming: Input[];
  indexes: number[];
}

type MergeReason = Extract<MatchResolution, { kind: "existing" }>["reason"];

/** What became of one position: it merged into a stored record or made (or repeated) a new one. */
export type FoldStep<Rec> =
  | { index: number; kind: "merged"; base: Rec; reason: MergeReason | "same_envelope"; score: number | null }
  | { index: number; kind: "created"; record: Rec; reason: "new" | "same_envelope"; score: number | null };

export interface Folded<Input, Rec> {
  creates: Array<FoldedCreate<Rec>>;
  merges: Array<FoldedMerge<Rec, Input>>;
  /** One per position that was placed, in order. */
  steps: Array<FoldStep<Rec>>;
  failures: Array<{ index: number; message: string }>;
}

/** Where an envelope's new records go: its tenant and account, and how their ids are minted. */
export interface RecordScope {
  tenantId: string;
  accountId: string;
  mintId: () => string;
}

export interface FoldInput<Input> {
  inputs: readonly Input[];
  resolutions: readonly MatchResolution[];
  embeddings: readonly number[][];
  /** Two new inputs at or above this similarity are one record. */
  sameSimilarity: number;
}

/**
 * Turns per-position resolutions into one envelope's writes, taking the inputs one by one in
 * order: every input that matched a stored record joins that record's one merge (one version
 * however often the envelope mentions it), a new input that repeats an earlier one folds into
 * it, any other new input makes a record. Positions, never texts, tie results to inputs.
 */
export function foldPlacements<Input, Rec, Source>(input: FoldInput<Input>, rules: FoldRules<Input, Rec, Source>): Folded<Input, Rec> {
  const creates = new Map<number, FoldedCreate<Rec>>();
  const merges = new Map<string, FoldedMerge<Rec, Input>>();
  const steps: Array<FoldStep<Rec>> = [];
  const failures: Folded<Input, Rec>["failures"] = [];

  for (const placement of placeByPosition(input.resolutions, input.embeddings, input.inputs.map(rules.key), input.sameSimilarity)) {
    const { index } = placement;
    const item = input.inputs[index];
    if (item === undefined) continue;
    if (placement.kind === "failed") {
      failures.push({ index, message: placement.message });
    } else if (placement.kind === "existing") {
      const planned = merges.get(placement.id);
      const base = planned?.base ?? rules.stored.get(placement.id);
      if (base === undefined) {
        failures.push({ index, message: `matched ${rules.noun} ${placement.id} could not be read` });
        continue;
      }
      const incoming = [...(planned?.incoming ?? []), item];
      const { next, changedFields } = rules.merge(base, incoming, rules.source);
      merges.set(placement.id, { id: placement.id, base, next, changedFields, incoming, indexes: [...(planned?.indexes ?? []), index] });
      steps.push({ index, kind: "merged", base, reason: placement.repeat ? "same_envelope" : placement.reason, score: placement.score });
    } else if (placement.repeat) {
      const twin = creates.get(placement.group);
      if (!twin) continue;
      twin.record = rules.absorb(twin.record, item, rules.source);
      twin.indexes.push(index);
      steps.push({ index, kind: "created", record: twin.record, reason: "same_envelope", score: null });
    } else {
      const record = rules.create(item, index);
      if (typeof record === "string") {
        failures.push({ index, message: record });
        continue;
      }
      creates.set(index, { record, embedding: input.embeddings[index] ?? [], indexes: [index] });
      steps.push({ index, kind: "created", record, reason: "new", score: placement.bestScore });
    }
  }
  return { creates: [...creates.values()], merges: [...merges.values()], steps, failures };
}
