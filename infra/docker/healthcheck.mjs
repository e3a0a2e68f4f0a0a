// The image's HEALTHCHECK: GET $HEALTHCHECK_URL (each service sets its own /healthz) and exit 0
// on a 2xx. Without the variable (the CLI, a one-shot job) there is nothing to check.
const url = process.env.HEALTHCHECK_URL;
if (!url) process.exit(0);
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
