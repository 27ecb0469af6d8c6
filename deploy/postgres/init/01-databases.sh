#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d).
# One database per service, each owned by a role of the same name: no service can read
# another's tables (docs/architecture.md, The shape).
set -eu
: "${CRM_DATABASES:?list of service databases}"
: "${CRM_DB_PASSWORD:?password of the service roles}"
for db in $CRM_DATABASES; do
  echo "creating role and database $db"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v db="$db" -v password="$CRM_DB_PASSWORD" <<'SQL'
CREATE ROLE :"db" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"db";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
done
