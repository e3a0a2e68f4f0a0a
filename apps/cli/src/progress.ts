/**
 * A one-line progress display on stderr for long work: redrawn in place on a terminal, and on
 * anything else (a log, CI) a line at each tenth of the way, so stdout stays the result alone.
 */
export class Progress {
  private done = 0;
  private lastTenth = -1;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly enabled = true,
  ) {}

  update(done: number, detail = ""): void {
    this.done = done;
    if (!this.enabled || this.total === 0) return;
    const line = `${this.label}: ${done}/${this.total}${detail ? `  ${detail}` : ""}`;
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${line}`);
      return;
    }
    const tenth = Math.floor((done / this.total) * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      process.stderr.write(`${line}\n`);
    }
  }

  finish(detail = ""): void {
    if (!this.enabled || this.total === 0) return;
    if (this.tty) process.stderr.write(`\r\x1b[2K${this.label}: ${this.done}/${this.total}${detail ? `  ${detail}` : ""}\n`);
    else if (detail) process.stderr.write(`${this.label}: ${detail}\n`);
  }
}
