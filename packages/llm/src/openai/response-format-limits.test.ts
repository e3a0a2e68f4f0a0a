import { zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
import { LLM_TASKS } from "../tasks";
import { STRICT_MODE_LIMITS, measureResponseFormat, responseFormatProblems } from "./response-format-limits";

/** What the provider sends for a task: its wire schema when it has one. */
function sentSchema(task: (typeof LLM_TASKS)[number]): object {
  return zodResponseFormat((task.wire?.schema ?? task.schema) as z.ZodType, task.name).json_schema.schema ?? {};
}

describe("strict-mode limits of the response formats", () => {
  it.each(LLM_TASKS.map((task) => [task.name, task] as const))("%s fits them", (_name, task) => {
    expect(responseFormatProblems(sentSchema(task))).toEqual([]);
  });

  it("counts nested properties, nesting and enum values the way the limits do", () => {
    const schema = zodResponseFormat(
      z.strictObject({ a: z.array(z.strictObject({ b: z.enum(["x", "y"]), c: z.strictObject({ d: z.string().nullable() }) })) }),
      "probe",
    ).json_schema.schema!;
    expect(measureResponseFormat(schema)).toMatchObject({ properties: 4, nesting: 3, enumValues: 2, notStrict: [] });
  });

  it("names what is over a limit", () => {
    const wide = z.strictObject(Object.fromEntries(Array.from({ length: STRICT_MODE_LIMITS.properties + 1 }, (_, i) => [`p${i}`, z.string()])));
    expect(responseFormatProblems(zodResponseFormat(wide, "wide").json_schema.schema!)).toEqual(["101 properties (at most 100)"]);
    const deep = z.strictObject({
      a: z.strictObject({ b: z.strictObject({ c: z.strictObject({ d: z.strictObject({ e: z.strictObject({ f: z.string() }) }) }) }) }),
    });
    expect(responseFormatProblems(zodResponseFormat(deep, "deep").json_schema.schema!)).toEqual(["6 nesting (at most 5)"]);
  });

  it("names an object that is not strict", () => {
    expect(responseFormatProblems({ type: "object", properties: { a: { type: "string" } }, required: [], additionalProperties: false })).toEqual([
      "(root): not every property required, or others allowed",
    ]);
  });
});
