const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export const formatDate = (value: Date | string | null | undefined) =>
  value === null || value === undefined || value === "" ? "—" : DATE.format(new Date(value));
export const percent = (value: number | null | undefined) => (value === null || value === undefined ? "—" : `${Math.round(value * 100)}%`);

export function formatAmount(amount: number | null, currency: string | null): string {
  if (amount === null) return "—";
  const figure = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 }).format(amount);
  return currency ? `${figure} ${currency}` : figure;
}

/** "close_date_slipping" → "Close date slipping". */
export const label = (code: string) => code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, " ");
