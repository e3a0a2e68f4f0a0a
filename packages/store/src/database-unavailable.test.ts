import { isDatabaseUnavailable } from "./database-unavailable";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("recognises a server that is down, shutting down or unreachable", () => {
    expect(isDatabaseUnavailable(withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("terminating connection due to administrator command", "57P01"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("the database system is starting up", "57P03"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode("refused", "ECONNREFUSED")], ""))).toBe(true);
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: withCode("x", "08006") }))).toBe(true);
  });

  it("leaves errors of the query itself alone", () => {
    expect(isDatabaseUnavailable(withCode('duplicate key value violates unique constraint "x"', "23505"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("deadlock detected", "40P01"))).toBe(false);
    expect(isDatabaseUnavailable(new Error("relation does not exist"))).toBe(false);
    expect(isDatabaseUnavailable("not an error")).toBe(false);
  });
});
