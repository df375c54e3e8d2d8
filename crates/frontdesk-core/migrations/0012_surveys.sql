-- 0012: satisfaction surveys (满意度问卷, 征询意见表: RAFS-QR-8.2-01/02/03) and market surveys
-- (市场调查). A questionnaire's items live in a version; a version is never changed (a change
-- makes the next version), so every response keeps the items it was answered on and an
-- export's columns never shift. Item codes are stable across versions. The default
-- questionnaires are written by the step after this SQL (`survey::seed_existing`). Never edit
-- once shipped.

CREATE TABLE questionnaire (
    id         INTEGER PRIMARY KEY,
    code       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    -- outpatient (门诊征询意见表), inpatient (住院征询意见表), own (the hospital's own)
    kind       TEXT    NOT NULL CHECK (kind IN ('outpatient', 'inpatient', 'own')),
    form_no    TEXT    NOT NULL,
    active     INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL
);

CREATE TABLE questionnaire_version (
    id               INTEGER PRIMARY KEY,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire (id),
    version          INTEGER NOT NULL CHECK (version >= 1),
    created_at       INTEGER NOT NULL,
    UNIQUE (questionnaire_id, version)
);

-- An item: its stable code, its words, its answer scale, and the aspect of service it rates
-- (which the dashboard's dissatisfaction figures count), if any.
CREATE TABLE questionnaire_item (
    id         INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES questionnaire_version (id),
    position   INTEGER NOT NULL CHECK (position >= 1),
    code       TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    scale      TEXT    NOT NULL CHECK (scale IN ('satisfaction', 'frequency', 'text')),
    aspect     TEXT CHECK (aspect IN ('registration', 'guide', 'doctor', 'nursing', 'environment', 'overall')),
    UNIQUE (version_id, code),
    UNIQUE (version_id, position)
);

-- One paper form entered (or answered at the desk).
CREATE TABLE survey_response (
    id            INTEGER PRIMARY KEY,
    version_id    INTEGER NOT NULL REFERENCES questionnaire_version (id),
    taken_on      TEXT    NOT NULL,
    department_id INTEGER REFERENCES department (id),
    entered_by    INTEGER NOT NULL REFERENCES staff (id),
    entered_at    INTEGER NOT NULL
);
CREATE INDEX survey_response_taken ON survey_response (taken_on, id);
CREATE INDEX survey_response_version ON survey_response (version_id);

-- satisfaction: satisfied / neutral / dissatisfied; frequency: never / sometimes / often /
-- always; text: the words.
CREATE TABLE survey_answer (
    id          INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES survey_response (id),
    item_id     INTEGER NOT NULL REFERENCES questionnaire_item (id),
    value       TEXT    NOT NULL,
    UNIQUE (response_id, item_id)
);

-- 市场调查: a survey of the market, as an event.
CREATE TABLE market_survey (
    id          INTEGER PRIMARY KEY,
    held_on     TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    method      TEXT    NOT NULL,
    sample_size INTEGER NOT NULL CHECK (sample_size >= 0),
    findings    TEXT    NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES staff (id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX market_survey_held ON market_survey (held_on);

CREATE TRIGGER questionnaire_item_append_only_u BEFORE UPDATE ON questionnaire_item
BEGIN
    SELECT RAISE(ABORT, 'a questionnaire version is never changed: a change makes the next');
END;
CREATE TRIGGER questionnaire_item_append_only_d BEFORE DELETE ON questionnaire_item
BEGIN
    SELECT RAISE(ABORT, 'a questionnaire version is never changed: a change makes the next');
END;
CREATE TRIGGER questionnaire_version_never_deleted BEFORE DELETE ON questionnaire_version
BEGIN
    SELECT RAISE(ABORT, 'questionnaire versions are never deleted');
END;
CREATE TRIGGER survey_response_append_only_u BEFORE UPDATE ON survey_response
BEGIN
    SELECT RAISE(ABORT, 'survey responses are append-only');
END;
CREATE TRIGGER survey_response_append_only_d BEFORE DELETE ON survey_response
BEGIN
    SELECT RAISE(ABORT, 'survey responses are append-only');
END;
CREATE TRIGGER survey_answer_append_only_u BEFORE UPDATE ON survey_answer
BEGIN
    SELECT RAISE(ABORT, 'survey answers are append-only');
END;
CREATE TRIGGER survey_answer_append_only_d BEFORE DELETE ON survey_answer
BEGIN
    SELECT RAISE(ABORT, 'survey answers are append-only');
END;
CREATE TRIGGER market_survey_never_deleted BEFORE DELETE ON market_survey
BEGIN
    SELECT RAISE(ABORT, 'market surveys are never deleted');
END;
