-- Creates the dealgraph database and its two roles. Run by scripts/services.sh (psql, as a
-- superuser) and by docker-compose's Postgres init; safe to run again. Values arrive as psql
-- variables (-v), quoted by psql itself (:'x' as a literal, :"x" as an identifier).
--
--   owner_role / owner_password  owns the schema; migrations run as this role
--   app_role / app_password      what the apps connect as: not owner, not superuser, no BYPASSRLS,
--                                so row-level security applies to every query it makes
--   database                     the database name

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', :'owner_role', :'owner_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner_role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS', :'owner_role', :'owner_password') \gexec

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', :'app_role', :'app_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS', :'app_role', :'app_password') \gexec

-- The owner creates scratch databases for the migration tests.
SELECT format('ALTER ROLE %I CREATEDB', :'owner_role') \gexec

SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'owner_role')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database') \gexec
