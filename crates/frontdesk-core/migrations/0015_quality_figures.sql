-- 0015: what the quality dashboard reads fast on years of data (manual section 2).
--
-- quality_tally is a cache, not a record: the counts behind the ten targets (patients seen,
-- reached, answers by aspect, …) for a period that has ended, computed from the records the
-- first time a dashboard or a report asks and read back after. It is never audited and never
-- copied: an audited write that changes a record of some day empties the tallies of every
-- period holding that day (`quality::figures::touched`, from `Tx::record`), so the next read
-- computes them again from the records. The indexes serve the counts themselves.
-- Never edit once shipped.

CREATE TABLE quality_tally (
    id          INTEGER PRIMARY KEY,
    period_from TEXT    NOT NULL,
    period_to   TEXT    NOT NULL,
    measure     TEXT    NOT NULL,
    value       INTEGER NOT NULL,
    UNIQUE (period_from, period_to, measure)
);
CREATE INDEX quality_tally_to ON quality_tally (period_to, period_from);

CREATE INDEX registration_quality ON registration (date, visit_kind, patient_id, status);
CREATE INDEX followup_answer_at ON followup_answer (at);
CREATE INDEX discharge_on ON discharge (discharged_on);
CREATE INDEX patient_created ON patient (created_at);
