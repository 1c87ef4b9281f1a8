-- The gateway's database is POSTGRES_DB (gateway); the register keeps its own.
CREATE DATABASE register OWNER ketenpoort;
