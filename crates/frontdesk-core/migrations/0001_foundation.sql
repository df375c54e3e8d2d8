-- 0001: the foundation. Never edit once shipped; add 0002_… instead.
-- Times are UTC instants in milliseconds; money is integer fen; dates are 'YYYY-MM-DD' in the
-- hospital's zone.

CREATE TABLE hospital (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    name              TEXT    NOT NULL,
    time_zone         TEXT    NOT NULL,
    receipt_header    TEXT    NOT NULL,
    idle_lock_minutes INTEGER NOT NULL CHECK (idle_lock_minutes BETWEEN 1 AND 240),
    backup_dir        TEXT,
    backup_keep       INTEGER NOT NULL CHECK (backup_keep BETWEEN 1 AND 365)
);

CREATE TABLE department (
    id     INTEGER PRIMARY KEY,
    code   TEXT    NOT NULL UNIQUE,
    name   TEXT    NOT NULL UNIQUE,
    active INTEGER NOT NULL CHECK (active IN (0, 1))
);

CREATE TABLE doctor (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    department_id INTEGER NOT NULL REFERENCES department (id),
    title         TEXT    NOT NULL,
    active        INTEGER NOT NULL CHECK (active IN (0, 1))
);
CREATE INDEX doctor_department ON doctor (department_id);

CREATE TABLE duty (
    id        INTEGER PRIMARY KEY,
    date      TEXT    NOT NULL,
    session   TEXT    NOT NULL CHECK (session IN ('am', 'pm', 'eve')),
    doctor_id INTEGER NOT NULL REFERENCES doctor (id),
    capacity  INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 500),
    UNIQUE (date, session, doctor_id)
);

CREATE TABLE registration_type (
    id      INTEGER PRIMARY KEY,
    code    TEXT    NOT NULL UNIQUE,
    name    TEXT    NOT NULL UNIQUE,
    fee_fen INTEGER NOT NULL CHECK (fee_fen >= 0),
    active  INTEGER NOT NULL CHECK (active IN (0, 1))
);

CREATE TABLE payment_method (
    id     INTEGER PRIMARY KEY,
    code   TEXT    NOT NULL UNIQUE,
    name   TEXT    NOT NULL UNIQUE,
    active INTEGER NOT NULL CHECK (active IN (0, 1))
);

CREATE TABLE triage_keyword (
    id            INTEGER PRIMARY KEY,
    keyword       TEXT    NOT NULL,
    department_id INTEGER NOT NULL REFERENCES department (id),
    UNIQUE (keyword, department_id)
);

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    username        TEXT    NOT NULL UNIQUE,
    display_name    TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('clerk', 'guide', 'service', 'supervisor', 'head', 'admin')),
    password_hash   TEXT    NOT NULL,
    active          INTEGER NOT NULL CHECK (active IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER
);

-- Append-only, hash-chained: every change above is written here in the same transaction.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor_id  INTEGER,
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    entity    TEXT    NOT NULL,
    entity_id TEXT    NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

-- SQLite-specific: the log refuses to be rewritten from any client, not only this app.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
