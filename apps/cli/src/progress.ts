/**
 * A one-line progress display on stderr for long work: redrawn in place on a terminal; on
 * anything else (a log, CI) a line at each tenth of the way (or every tenth update when the
 * total is unknown), so stdout stays the result alone.
 */
export class Progress {
  private done = 0;
  private updates = 0;
  private lastTenth = -1;
  private lastLine = "";
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    /** Null when the amount of work is not known up front. */
    private readonly total: number | null,
    private readonly enabled = true,
  ) {}

  update(done: number, detail = ""): void {
    this.done = done;
    this.updates += 1;
    if (!this.enabled || this.total === 0) return;
    this.lastLine = this.total === null ? `${this.label}: ${detail}` : `${this.label}: ${done}/${this.total}${detail ? `  ${detail}` : ""}`;
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${this.lastLine}`);
      return;
    }
    const step = this.total === null ? Math.floor(this.updates / 10) : Math.floor((done / this.total) * 10);
    if (step !== this.lastTenth) {
      this.lastTenth = step;
      process.stderr.write(`${this.lastLine}\n`);
    }
  }

  finish(detail = ""): void {
    if (!this.enabled || this.total === 0) return;
    const line =
      this.total === null
        ? `${this.label}: ${detail || this.lastLine.slice(this.label.length + 2)}`
        : `${this.label}: ${this.done}/${this.total}${detail ? `  ${detail}` : ""}`;
    if (this.tty) process.stderr.write(`\r\x1b[2K${line}\n`);
    else if (detail) process.stderr.write(`${this.label}: ${detail}\n`);
  }
}
