/**
 * Something a run noticed and went on from: an answer the guards corrected, a transcript too
 * short to read, a projection that did not commit. Typed so that a caller can count or filter
 * them by code and stage rather than by the wording of a message.
 */
export interface PipelineWarning {
  code: PipelineWarningCode;
  /** The stage that noticed it (`extract`, `match`, `synthesize`, `project`, …). */
  stage: string;
  message: string;
}

export type PipelineWarningCode =
  /** The extraction's answer broke a rule of the transcript and was corrected (a quote not in it, an amount not said). */
  | "extraction_corrected"
  /** A middle-band or synthesis answer was incomplete or named what it was not asked; the guard settled it. */
  | "answer_corrected"
  /** A targeted envelope said nothing about the record it names. */
  | "target_unchanged"
  /** The transcript is under the minimum length; nothing was extracted. */
  | "too_short"
  /** The graph write stands but Postgres did not take the projection. */
  | "projection_failed";

export const warning = (code: PipelineWarningCode, stage: string, message: string): PipelineWarning => ({ code, stage, message });

/** The guards' messages, as warnings of one stage. */
export const warningsOf = (code: PipelineWarningCode, stage: string, messages: readonly string[]): PipelineWarning[] =>
  messages.map((message) => warning(code, stage, message));
