-- 0014: the department's quality targets (部门质量目标, manual section 2) as data. A target is
-- set from a date and never rewritten: a change is a new row from its date, so every past
-- period keeps the target it was measured against. The head also sets monthly targets for the
-- operating indicators (registrations, new patients, first visits), whose actuals the app
-- counts; a later setting for the same month supersedes the earlier (both kept). The defaults
-- are written by the step after this SQL (`quality::targets::seed_existing`). Never edit once
-- shipped.

CREATE TABLE quality_target (
    id        INTEGER PRIMARY KEY,
    code      TEXT    NOT NULL,
    -- Rates in tenths of a percent (600 = 60.0 %); market surveys: how many a month.
    value     INTEGER NOT NULL CHECK (value >= 0),
    from_date TEXT    NOT NULL,
    set_by    INTEGER REFERENCES staff (id),
    set_at    INTEGER NOT NULL,
    UNIQUE (code, from_date)
);

CREATE TABLE operating_target (
    id        INTEGER PRIMARY KEY,
    month     TEXT    NOT NULL,
    indicator TEXT    NOT NULL CHECK (indicator IN ('registrations', 'new_patients', 'first_visits')),
    value     INTEGER NOT NULL CHECK (value >= 1),
    set_by    INTEGER NOT NULL REFERENCES staff (id),
    set_at    INTEGER NOT NULL
);
CREATE INDEX operating_target_month ON operating_target (month, indicator, id);

CREATE TRIGGER quality_target_append_only_u BEFORE UPDATE ON quality_target
BEGIN
    SELECT RAISE(ABORT, 'a target is set from a date and never rewritten');
END;
CREATE TRIGGER quality_target_append_only_d BEFORE DELETE ON quality_target
BEGIN
    SELECT RAISE(ABORT, 'a target is set from a date and never rewritten');
END;
CREATE TRIGGER operating_target_append_only_u BEFORE UPDATE ON operating_target
BEGIN
    SELECT RAISE(ABORT, 'a target is set from a date and never rewritten');
END;
CREATE TRIGGER operating_target_append_only_d BEFORE DELETE ON operating_target
BEGIN
    SELECT RAISE(ABORT, 'a target is set from a date and never rewritten');
END;
