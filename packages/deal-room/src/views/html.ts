/*
 * HTML built from a tagged template that escapes every interpolated value: transcripts, names
 * and quotes are untrusted text, so nothing reaches the page unescaped unless it is markup this
 * package built (`Html`).
 */

export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function render(value: unknown): string {
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ""), ""));
}

/** A path of the deal room with each segment encoded (ids are upstream data). */
export const path = (...segments: string[]) => `/${segments.map(encodeURIComponent).join("/")}`;
