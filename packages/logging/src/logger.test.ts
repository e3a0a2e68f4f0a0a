import { Writable } from "node:stream";
import { createLogger, withContext } from "./logger";

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe("logging", () => {
  it("writes JSON lines that carry tenant, interaction and job ids", () => {
    const out = capture();
    const logger = withContext(createLogger({ name: "worker-deals", destination: out.stream }), {
      tenant_id: "t-1",
      interaction_id: "i-1",
      job_id: "t-1:i-1",
      account_id: undefined,
    });
    logger.info({ deals: 2 }, "processed");
    const [line] = out.lines();
    expect(line).toMatchObject({
      level: "info",
      name: "worker-deals",
      tenant_id: "t-1",
      interaction_id: "i-1",
      job_id: "t-1:i-1",
      deals: 2,
      msg: "processed",
    });
    expect(line).not.toHaveProperty("account_id");
    expect(typeof line?.time).toBe("string");
  });

  it("never writes passwords, keys or transcript text", () => {
    const out = capture();
    const logger = createLogger({ name: "api", destination: out.stream });
    logger.info({
      config: { password: "s3cret-pass" },
      headers: { authorization: "Bearer dg_live_abc" },
      envelope: { content: { text: "Tom: our budget is 2M" } },
    });
    const raw = JSON.stringify(out.lines());
    expect(raw).not.toContain("s3cret-pass");
    expect(raw).not.toContain("dg_live_abc");
    expect(raw).not.toContain("budget is 2M");
    expect(raw).toContain("[redacted]");
  });
});
