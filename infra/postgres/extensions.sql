-- Run as a superuser inside the dealgraph database: pgvector needs a superuser to install.
-- Where the server has no pgvector the migrations fall back to real[] embedding columns.
SELECT 'CREATE EXTENSION IF NOT EXISTS vector'
WHERE EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') \gexec
