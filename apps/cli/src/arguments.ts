import { isUuid } from "@dealgraph/contracts";
import { ValidationError } from "@dealgraph/errors";

/** A command-line value that must be a UUID; `label` names it as the user typed it, `path` as the error's field. */
export function requireUuid(value: string, label: string, path: string): string {
  if (!isUuid(value)) throw new ValidationError(`${label} must be a UUID, got "${value}"`, [{ path, message: "Must be a UUID" }]);
  return value;
}
