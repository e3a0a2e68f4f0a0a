import { errorKind } from "@dealgraph/errors";

/** A command that declined to act (a confirmation missing, say): the CLI exits 2 with its message on stderr. */
export class CommandRefused extends errorKind("COMMAND_REFUSED", false) {}
