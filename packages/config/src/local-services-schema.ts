import { z } from "zod";

/**
 * The variables only `scripts/services.sh` reads (the local Postgres bootstrap and the Neo4j
 * servers it starts), with their defaults: kept beside the apps' schema so that `.env.example`
 * takes every default from one place.
 */
export const localServicesSchema = z.object({
  POSTGRES_ADMIN_URL: z.string().min(1).default("postgres://postgres@127.0.0.1:5432/postgres"),
  DEALGRAPH_LOCAL_DIR: z.string().min(1).default(".local"),
  NEO4J_HEAP: z
    .string()
    .regex(/^\d+[kmg]$/i, "Must be a JVM size such as 1g or 512m")
    .default("1g"),
  NEO4J_PAGE_CACHE_MB: z.coerce.number({ error: "Must be a number" }).int().min(64).default(3072),
});
