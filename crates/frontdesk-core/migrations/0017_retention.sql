-- 0017: how long each kind of quality record is kept (质量记录清单, manual 6.1): 回访登记本 2
-- years, 投诉登记本 3, 质量检查记录本 2, 满意度问卷 2. A period is changed by a new row, never a
-- rewrite, and only ever lengthened: the database refuses a shorter one. The defaults are
-- written by the step after this SQL (`quality::retention::seed_existing`). The records
-- themselves are never deleted (their own triggers); past its period a record's personal data
-- may be removed, keeping the figures. Never edit once shipped.

CREATE TABLE retention_period (
    id     INTEGER PRIMARY KEY,
    record TEXT    NOT NULL CHECK (record IN ('followup', 'complaint', 'quality_check', 'questionnaire')),
    years  INTEGER NOT NULL CHECK (years BETWEEN 1 AND 30),
    set_by INTEGER REFERENCES staff (id),
    set_at INTEGER NOT NULL
);
CREATE INDEX retention_period_record ON retention_period (record, id);

CREATE TRIGGER retention_period_upward_only BEFORE INSERT ON retention_period
WHEN NEW.years < (SELECT r.years FROM retention_period r WHERE r.record = NEW.record
                  ORDER BY r.id DESC LIMIT 1)
BEGIN
    SELECT RAISE(ABORT, 'a retention period is only ever lengthened');
END;
CREATE TRIGGER retention_period_append_only_u BEFORE UPDATE ON retention_period
BEGIN
    SELECT RAISE(ABORT, 'retention_period is append-only');
END;
CREATE TRIGGER retention_period_append_only_d BEFORE DELETE ON retention_period
BEGIN
    SELECT RAISE(ABORT, 'retention_period is append-only');
END;
