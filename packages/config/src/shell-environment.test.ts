import { execFileSync } from "node:child_process";
import { shellEnvironment, shellExports } from "./shell-environment";

describe("the configuration as the scripts read it", () => {
  it("resolves set values over the defaults, under today's names, with each URL's parts", () => {
    const env = shellEnvironment({ NEO4J_URI: "bolt://items.example", DATABASE_URL: "postgres://app:p%40ss@db.example:6543/crm" });
    expect(env).toMatchObject({
      ACTION_ITEM_NEO4J_URI: "bolt://items.example",
      ACTION_ITEM_NEO4J_URI_HOST: "items.example",
      ACTION_ITEM_NEO4J_URI_PORT: "7687",
      DATABASE_URL_USER: "app",
      DATABASE_URL_PASSWORD: "p@ss",
      DATABASE_URL_PORT: "6543",
      DATABASE_URL_PATH: "crm",
      REDIS_URL_PORT: "6379",
      API_PORT: "8080",
    });
    expect(env).not.toHaveProperty("NEO4J_URI");
    expect(env).not.toHaveProperty("OPENAI_API_KEY");
  });

  it("exports values bash reads back literally, quotes and dollars included", () => {
    const exports = shellExports({ ODD: `it's $HOME and "x"` });
    expect(execFileSync("bash", ["-c", `${exports}; printf %s "$ODD"`], { encoding: "utf8" })).toBe(`it's $HOME and "x"`);
  });
});
