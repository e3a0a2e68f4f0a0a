import { z } from "zod";

/** Where each rule draws its line; the fleet reads them from RISK_* settings (@dealgraph/config). */
export const riskThresholdsSchema = z.object({
  stalledDays: z.number().int().positive(),
  stalledCalls: z.number().int().positive(),
  quietDays: z.number().int().positive(),
  minCustomerContacts: z.number().int().positive(),
  overdueGraceDays: z.number().int().nonnegative(),
  slipDays: z.number().int().nonnegative(),
  regressionDrop: z.number().positive().max(1),
});
export type RiskThresholds = z.infer<typeof riskThresholdsSchema>;

/** The defaults: a month without a stage move, three weeks of silence, two buyer-side voices. */
export const DEFAULT_RISK_THRESHOLDS: RiskThresholds = {
  stalledDays: 30,
  stalledCalls: 3,
  quietDays: 21,
  minCustomerContacts: 2,
  overdueGraceDays: 0,
  slipDays: 14,
  regressionDrop: 0.1,
};
