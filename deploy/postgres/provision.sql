-- Provisions a PostgreSQL database and role for MeshHub. Idempotent: creates the role and the database only when
-- they are missing (an existing role keeps its password), then grants only what MeshHub needs: CONNECT and CREATE
-- on its database (CREATE lets MeshHub create its own schema, DATABASE_SCHEMA, and everything inside it).
--
-- Run as a role that may create roles and databases:
--   psql -v ON_ERROR_STOP=1 -v db=meshhub -v role=meshhub -v password='...' -f provision.sql
-- or through provision.sh, which takes the same DATABASE_* variables MeshHub reads.

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec

SELECT format('CREATE DATABASE %I', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec

SELECT format('GRANT CONNECT, CREATE ON DATABASE %I TO %I', :'db', :'role')
\gexec
