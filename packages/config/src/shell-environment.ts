import { asVariableText, defaultValues, knownVariables } from "./env-example";
import { setVariables } from "./load-config";

/** The port a URL means when it names none, by scheme. */
const DEFAULT_PORTS: Record<string, string> = {
  "redis:": "6379",
  "rediss:": "6379",
  "postgres:": "5432",
  "postgresql:": "5432",
  "bolt:": "7687",
  "bolt+s:": "7687",
  "bolt+ssc:": "7687",
  "neo4j:": "7687",
  "neo4j+s:": "7687",
  "neo4j+ssc:": "7687",
  "http:": "80",
  "https:": "443",
};

/** A URL variable's parts, as `<NAME>_HOST`, `_PORT`, `_USER`, `_PASSWORD`, `_PATH`; none for a value that is not a URL. */
function urlParts(name: string, value: string): Record<string, string> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {};
  }
  return {
    [`${name}_HOST`]: url.hostname,
    [`${name}_PORT`]: url.port || (DEFAULT_PORTS[url.protocol] ?? ""),
    [`${name}_USER`]: decodeURIComponent(url.username),
    [`${name}_PASSWORD`]: decodeURIComponent(url.password),
    [`${name}_PATH`]: url.pathname.replace(/^\//, ""),
  };
}

/**
 * The configuration as the shell scripts read it, resolved the way the apps resolve it (the
 * environment, then `.env`, then the schemas' defaults; renamed variables under their new
 * names), with every URL's parts beside it: the scripts parse neither dotenv files nor URLs.
 * Values are not validated here, so that `services.sh status` still reports on a bad setting.
 */
export function shellEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const present = setVariables(env);
  const defaults = defaultValues();
  const resolved: Record<string, string> = {};
  for (const name of knownVariables()) {
    const value = present[name] ?? (defaults[name] === undefined ? undefined : asVariableText(defaults[name]));
    if (value === undefined) continue;
    resolved[name] = value;
    if (/_(URL|URI)$/.test(name)) Object.assign(resolved, urlParts(name, value));
  }
  return resolved;
}

/** `export NAME='value'` lines for `eval` in bash; single quotes keep every value literal. */
export function shellExports(variables: Record<string, string>): string {
  return Object.entries(variables)
    .map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`)
    .join("\n");
}
