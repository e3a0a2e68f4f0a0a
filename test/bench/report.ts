/** One line of the benchmark table: a figure, the reference it is compared with in the same run, and their ratio. */
export interface BenchRow {
  benchmark: string;
  figure: string;
  value: number;
  unit: string;
  reference: string | null;
  referenceValue: number | null;
  /** value / reference, or null without a reference. */
  ratio: number | null;
  /** The target the issue sets, when there is one, and whether this run met it. */
  target?: string;
  met?: boolean;
}

export function row(
  benchmark: string,
  figure: string,
  value: number,
  unit: string,
  reference?: { name: string; value: number },
  target?: { text: string; met: boolean },
): BenchRow {
  return {
    benchmark,
    figure,
    value: round(value),
    unit,
    reference: reference?.name ?? null,
    referenceValue: reference ? round(reference.value) : null,
    ratio: reference && reference.value !== 0 ? round(value / reference.value, 3) : null,
    ...(target ? { target: target.text, met: target.met } : {}),
  };
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = ["benchmark", "figure", "value", "reference", "ratio", "target"];
  const cells = rows.map((r) => [
    r.benchmark,
    r.figure,
    `${r.value} ${r.unit}`,
    r.reference ? `${r.referenceValue} ${r.unit} (${r.reference})` : "",
    r.ratio === null ? "" : r.ratio.toFixed(3),
    r.target ? `${r.target} ${r.met ? "ok" : "MISSED"}` : "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}
