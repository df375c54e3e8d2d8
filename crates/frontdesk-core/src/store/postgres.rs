//! The PostgreSQL engine: one shared server for every desk of a hospital. The one file (besides
//! the migrations in `migrations/pg/`) that knows it is PostgreSQL: the URL and its TLS, the
//! checks made on connecting (a durable server, our schema, a version not newer than ours),
//! `?N` rewritten to `$N` once per statement and kept prepared with the types of its values,
//! READ COMMITTED with one advisory lock for every write (one writer at a time, as on SQLite),
//! the server's clock, and reconnecting after a lost connection.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Duration;

use postgres::types::{IsNull, Type};
use postgres::{Client, Config, Statement};

use super::value::{Kind, ToSql, Value, ValueRef};
use super::{Row, RowInner, StoreError};
use crate::error::{Error, Result, ServerProblem};

/// The last four digits of `phone`, as this engine writes it (its migration 0004 indexes it).
pub const LAST_FOUR: &str = "right(phone, 4)";

/// The key of the advisory lock every write takes first: one writer at a time, so a number
/// read as `max + 1` or a chain head stays true until the commit.
const WRITE_LOCK: i64 = 0x4652_4f4e_5444;

/// The test servers run with fsync off for speed; only a variable whose name says so lets the
/// app onto such a server.
pub const UNSAFE_SERVER_FOR_TESTS: &str = "FRONTDESK_TEST_ONLY_ALLOW_UNDURABLE_SERVER";

/// A server's URL, parsed, with what may be shown of it (never the password).
#[derive(Clone)]
pub struct ServerUrl {
    config: Config,
    /// The URL as given (with its password, if it has one): never shown, only passed on.
    text: String,
    /// `verify-ca` / `verify-full`: the server's certificate is checked (libpq's meaning);
    /// `require` encrypts without checking it, as libpq does.
    verify: Option<bool>,
    shown: String,
}

impl std::fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl PartialEq for ServerUrl {
    fn eq(&self, other: &Self) -> bool {
        self.shown == other.shown
    }
}

impl ServerUrl {
    /// Whether `text` names a server rather than a file.
    pub fn is_url(text: &str) -> bool {
        text.starts_with("postgres://") || text.starts_with("postgresql://")
    }

    pub fn parse(text: &str) -> Result<ServerUrl> {
        let bad = |why: String| Error::Server {
            server: redact(text),
            problem: ServerProblem::BadUrl(why),
        };
        // The client library knows disable/prefer/require; the two checking modes are
        // taken off here and applied to the TLS connector.
        let mut verify = None;
        let mut kept = String::with_capacity(text.len());
        let (base, query) = text.split_once('?').unwrap_or((text, ""));
        kept.push_str(base);
        let mut sep = '?';
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let pair = match pair {
                "sslmode=verify-full" => {
                    verify = Some(true);
                    "sslmode=require"
                }
                "sslmode=verify-ca" => {
                    verify = Some(false);
                    "sslmode=require"
                }
                p => p,
            };
            kept.push(sep);
            kept.push_str(pair);
            sep = '&';
        }
        let mut config: Config = kept.parse().map_err(|e| bad(format!("{e}")))?;
        if config.get_dbname().is_none() {
            return Err(bad("no database name".into()));
        }
        if config.get_hosts().is_empty() {
            return Err(bad("no host".into()));
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config.application_name("frontdesk");
        let shown = show(&config);
        Ok(ServerUrl {
            text: text.to_string(),
            config,
            verify,
            shown,
        })
    }

    /// The URL as given, to hand to another program (`frontdesk-admin --db`). Holds the
    /// password when the URL does: never shown.
    pub fn as_arg(&self) -> &str {
        &self.text
    }

    /// `host:port/dbname (user)`: what the status bar shows.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    pub fn dbname(&self) -> &str {
        self.config.get_dbname().unwrap_or("")
    }

    pub fn user(&self) -> Option<&str> {
        self.config.get_user()
    }

    /// The same server and user, another database (the test harness, `createdb`).
    pub fn with_dbname(&self, dbname: &str) -> ServerUrl {
        let mut config = self.config.clone();
        config.dbname(dbname);
        let (root, _) = self.text.split_once('?').unwrap_or((&self.text, ""));
        let root = root.rsplit_once('/').map_or(root, |(r, _)| r);
        let query = self
            .text
            .split_once('?')
            .map(|(_, q)| format!("?{q}"))
            .unwrap_or_default();
        ServerUrl {
            text: format!("{root}/{dbname}{query}"),
            shown: show(&config),
            config,
            verify: self.verify,
        }
    }

    fn connect(&self) -> std::result::Result<Client, postgres::Error> {
        match (self.config.get_ssl_mode(), self.verify) {
            (postgres::config::SslMode::Disable, _) => self.config.connect(postgres::NoTls),
            (_, verify) => {
                let mut tls = native_tls::TlsConnector::builder();
                if verify.is_none() {
                    tls.danger_accept_invalid_certs(true);
                }
                if verify == Some(false) {
                    tls.danger_accept_invalid_hostnames(true);
                }
                match tls.build() {
                    Ok(tls) => self
                        .config
                        .connect(postgres_native_tls::MakeTlsConnector::new(tls)),
                    // No TLS library on this PC: try without (`prefer`), else say so.
                    Err(_) => self.config.connect(postgres::NoTls),
                }
            }
        }
    }
}

fn show(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => String::new(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config
        .get_user()
        .map(|u| format!(" ({u})"))
        .unwrap_or_default();
    format!(
        "PostgreSQL {host}:{port}/{}{user}",
        config.get_dbname().unwrap_or("")
    )
}

/// A URL with its password taken out, for a message about a URL that did not parse.
fn redact(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return "PostgreSQL".into();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{host}")
        }
        None => format!("{scheme}://{rest}"),
    }
}

pub struct Postgres {
    url: ServerUrl,
    client: RefCell<Option<Client>>,
    statements: RefCell<HashMap<String, Statement>>,
    read_only: bool,
    in_tx: Cell<bool>,
    /// Server time minus this PC's time, in ms, as last measured (at connecting and at every
    /// write).
    offset: Cell<i64>,
}

/// One of our values, bound the way the `postgres` crate binds (the statement was prepared
/// with the types of the values, so an `i64` is always an `int8`).
#[derive(Debug)]
struct Bind<'a>(Value<'a>);

impl postgres::types::ToSql for Bind<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self.0 {
            Value::Null(_) => Ok(IsNull::Yes),
            Value::Int(n) => postgres::types::ToSql::to_sql(&n, ty, out),
            Value::Text(s) => postgres::types::ToSql::to_sql(&s, ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

fn type_of(v: &Value<'_>) -> Type {
    match v {
        Value::Int(_) | Value::Null(Kind::Int) => Type::INT8,
        Value::Text(_) | Value::Null(Kind::Text) => Type::TEXT,
    }
}

/// `?N` → `$N` (and a bare `?` numbered in order), outside quoted text and names.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quote: Option<char> = None;
    let mut next = 1;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), c) => out.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '?') => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    out.push_str(&next.to_string());
                    next += 1;
                }
            }
            (None, c) => out.push(c),
        }
    }
    out
}

/// The server's own words for an error (the client's `Display` says only "db error").
pub fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut text = format!("{}: {}", db.code().code(), db.message());
            if let Some(d) = db.detail() {
                text.push_str(&format!(" ({d})"));
            }
            text
        }
        None => e.to_string(),
    }
}

/// What a failure to reach or use the server is, for the person at the desk.
pub(super) fn problem(url: &ServerUrl, e: &postgres::Error) -> Option<Error> {
    let p = if let Some(db) = e.as_db_error() {
        match db.code().code() {
            "28P01" | "28000" => ServerProblem::AuthRefused,
            "3D000" => ServerProblem::NoDatabase,
            "57P01" | "57P02" | "57P03" => ServerProblem::Lost,
            "42501" if db.message().contains("schema") => ServerProblem::NeedsOwner,
            _ => return None,
        }
    } else if e.is_closed() {
        ServerProblem::Lost
    } else {
        let text = e.to_string();
        let source = std::error::Error::source(e).map(|s| s.to_string());
        let io = std::error::Error::source(e)
            .and_then(|s| s.downcast_ref::<std::io::Error>())
            .is_some();
        if io || text.contains("timeout") || text.contains("connection") {
            ServerProblem::Unreachable(source.unwrap_or(text))
        } else if text.contains("password") || text.contains("authentication") {
            ServerProblem::AuthRefused
        } else {
            return None;
        }
    };
    Some(Error::Server {
        server: url.shown.clone(),
        problem: p,
    })
}

impl Postgres {
    /// Connects, checks the server is durable, and reads our schema version (0 for an empty
    /// database; a database holding other tables is not ours).
    pub fn connect(url: &ServerUrl, read_only: bool) -> Result<(Postgres, i64)> {
        let db = Postgres {
            url: url.clone(),
            client: RefCell::new(None),
            statements: RefCell::default(),
            read_only,
            in_tx: Cell::new(false),
            offset: Cell::new(0),
        };
        db.reconnect()?;
        let version = db.schema_version()?;
        if version == 0 {
            let tables: i64 = db.value(
                "SELECT count(*) FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_name <> 'frontdesk_schema'",
            )?;
            if tables > 0 {
                return Err(Error::NotFrontdesk(url.shown.clone()));
            }
        }
        Ok((db, version))
    }

    fn server_error(&self, e: postgres::Error) -> Error {
        problem(&self.url, &e).unwrap_or(Error::Store(StoreError::Postgres(e)))
    }

    /// (Re)opens the connection: the durability check, the session's settings, the clock.
    fn reconnect(&self) -> Result<()> {
        self.statements.borrow_mut().clear();
        *self.client.borrow_mut() = None;
        let mut client = self.url.connect().map_err(|e| self.server_error(e))?;
        let settings = client
            .query_one(
                "SELECT current_setting('fsync'), current_setting('synchronous_commit'),
                        CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)",
                &[],
            )
            .map_err(|e| self.server_error(e))?;
        let local = crate::clock::now_ms();
        let (fsync, sync): (String, String) = (settings.get(0), settings.get(1));
        self.offset.set(settings.get::<_, i64>(2) - local);
        let allowed = std::env::var_os(UNSAFE_SERVER_FOR_TESTS).is_some_and(|v| v == "1");
        if (fsync != "on" || sync == "off") && !allowed {
            return Err(Error::Server {
                server: self.url.shown.clone(),
                problem: ServerProblem::NotDurable(format!(
                    "fsync={fsync}, synchronous_commit={sync}"
                )),
            });
        }
        let mut setup = String::from("SET client_min_messages = warning; SET TIME ZONE 'UTC';");
        if self.read_only {
            setup.push_str("SET default_transaction_read_only = on;");
        }
        client
            .batch_execute(&setup)
            .map_err(|e| self.server_error(e))?;
        *self.client.borrow_mut() = Some(client);
        Ok(())
    }

    /// The connection, reopened first when the last one was lost (outside a transaction:
    /// inside one, what it did is gone with it, and the write fails as a whole).
    fn client(&self) -> Result<std::cell::RefMut<'_, Client>> {
        let lost = self.client.borrow().as_ref().is_none_or(Client::is_closed);
        if lost {
            if self.in_tx.get() {
                return Err(self.lost());
            }
            self.reconnect()?;
        }
        Ok(std::cell::RefMut::map(self.client.borrow_mut(), |c| {
            c.as_mut().expect("connected above")
        }))
    }

    fn lost(&self) -> Error {
        Error::Server {
            server: self.url.shown.clone(),
            problem: ServerProblem::Lost,
        }
    }

    pub fn url(&self) -> &ServerUrl {
        &self.url
    }

    pub fn clock_offset(&self) -> i64 {
        self.offset.get()
    }

    /// The one row of a query without parameters (retried on a new connection like a read).
    fn one_row(&self, sql: &str) -> Result<postgres::Row> {
        self.run(sql, &[], true, |c, stmt, refs| c.query_one(stmt, refs))
    }

    fn value(&self, sql: &str) -> Result<i64> {
        Ok(self.one_row(sql)?.get(0))
    }

    pub fn schema_version(&self) -> Result<i64> {
        let row = self.one_row("SELECT to_regclass('frontdesk_schema') IS NOT NULL")?;
        if !row.get::<_, bool>(0) {
            return Ok(0);
        }
        self.value("SELECT version FROM frontdesk_schema")
    }

    /// Written inside the migration's transaction (PostgreSQL's DDL is transactional), so a
    /// migration and its version commit together.
    pub fn set_schema_version(&self, version: i64) -> Result<()> {
        self.batch(&format!(
            "CREATE TABLE IF NOT EXISTS frontdesk_schema (version BIGINT NOT NULL);
             DELETE FROM frontdesk_schema;
             INSERT INTO frontdesk_schema (version) VALUES ({version});"
        ))
    }

    /// Whether this connection may create tables (the owner, who runs the migrations).
    pub fn may_migrate(&self) -> Result<bool> {
        Ok(self
            .one_row("SELECT has_schema_privilege(current_schema(), 'CREATE')")?
            .get(0))
    }

    /// `BEGIN` (READ COMMITTED) and the write lock as its first statement: every write after
    /// another's commit sees it, and two never interleave. Returns the server's clock.
    pub fn begin(&self) -> Result<()> {
        let sql = format!(
            "BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK}),
             CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)"
        );
        // A connection the server dropped (restarted, a network blip) is only found out when
        // used: nothing of this write has run yet, so it is retried once on a new connection.
        let mut rows = self.client()?.simple_query(&sql);
        if let Err(e) = &rows {
            if matches!(
                problem(&self.url, e),
                Some(Error::Server {
                    problem: ServerProblem::Lost | ServerProblem::Unreachable(_),
                    ..
                })
            ) {
                self.reconnect()?;
                rows = self.client()?.simple_query(&sql);
            }
        }
        let rows = rows.map_err(|e| self.server_error(e))?;
        self.in_tx.set(true);
        let server = rows.iter().find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => r.get(1).and_then(|t| t.parse::<i64>().ok()),
            _ => None,
        });
        if let Some(server) = server {
            self.offset.set(server - crate::clock::now_ms());
        }
        Ok(())
    }

    pub fn commit(&self) -> Result<()> {
        let r = self.batch("COMMIT");
        self.in_tx.set(false);
        r
    }

    pub fn rollback(&self) -> Result<()> {
        if !self.in_tx.get() {
            return Ok(());
        }
        self.in_tx.set(false);
        match self.client.borrow_mut().as_mut() {
            Some(c) if !c.is_closed() => c
                .batch_execute("ROLLBACK")
                .map_err(|e| Error::Store(StoreError::Postgres(e))),
            _ => Ok(()),
        }
    }

    pub fn batch(&self, sql: &str) -> Result<()> {
        self.client()?
            .batch_execute(sql)
            .map_err(|e| self.server_error(e))
    }

    fn prepared(
        &self,
        client: &mut Client,
        sql: &str,
        params: &[Value<'_>],
    ) -> std::result::Result<Statement, postgres::Error> {
        let mut key = String::with_capacity(sql.len() + params.len() + 1);
        key.extend(params.iter().map(|v| match type_of(v) {
            Type::INT8 => 'i',
            _ => 't',
        }));
        key.push('|');
        key.push_str(sql);
        if let Some(s) = self.statements.borrow().get(&key) {
            return Ok(s.clone());
        }
        let types: Vec<Type> = params.iter().map(type_of).collect();
        let stmt = client.prepare_typed(&numbered(sql), &types)?;
        self.statements.borrow_mut().insert(key, stmt.clone());
        Ok(stmt)
    }

    /// Runs a statement prepared with its values' types. `retry`: a read outside a transaction
    /// whose connection turns out lost is run again on a new one (a write is not: it may have
    /// reached the server before the connection broke).
    fn run<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        retry: bool,
        f: impl Fn(
            &mut Client,
            &Statement,
            &[&(dyn postgres::types::ToSql + Sync)],
        ) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        let values: Vec<Value<'_>> = params.iter().map(|p| p.to_sql()).collect();
        let binds: Vec<Bind<'_>> = values.iter().map(|v| Bind(*v)).collect();
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = binds
            .iter()
            .map(|b| b as &(dyn postgres::types::ToSql + Sync))
            .collect();
        let mut again = retry && !self.in_tx.get();
        loop {
            let mut client = self.client()?;
            let done = self
                .prepared(&mut client, sql, &values)
                .and_then(|stmt| f(&mut client, &stmt, &refs));
            match done {
                Ok(v) => return Ok(v),
                Err(e) => {
                    let lost = matches!(
                        problem(&self.url, &e),
                        Some(Error::Server {
                            problem: ServerProblem::Lost | ServerProblem::Unreachable(_),
                            ..
                        })
                    );
                    if !(again && lost) {
                        return Err(self.server_error(e));
                    }
                    again = false;
                    drop(client);
                    self.reconnect()?;
                }
            }
        }
    }

    pub fn execute(&self, sql: &str, params: &[&dyn ToSql]) -> Result<usize> {
        let n = self.run(sql, params, false, |c, stmt, refs| c.execute(stmt, refs))?;
        Ok(n as usize)
    }

    /// Runs a query and hands each row to `f` until it returns `false`.
    pub fn each(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        f: &mut dyn FnMut(&Row<'_>) -> Result<bool>,
    ) -> Result<()> {
        for r in self.run(sql, params, true, |c, stmt, refs| c.query(stmt, refs))? {
            if !f(&Row {
                inner: RowInner::Postgres(&r),
            })? {
                break;
            }
        }
        Ok(())
    }

    /// The server keeps its own pages whole (checksums, WAL); there is no file to check here.
    pub fn integrity_check(&self) -> Result<String> {
        self.value("SELECT 1::bigint")?;
        Ok("ok".into())
    }
}

pub(super) fn row_value<'a>(r: &'a postgres::Row, i: usize) -> Result<ValueRef<'a>, StoreError> {
    let ty = r.columns()[i].type_().clone();
    let bad = |e: postgres::Error| StoreError::Postgres(e);
    Ok(match ty {
        Type::INT8 => r
            .try_get::<_, Option<i64>>(i)
            .map_err(bad)?
            .map_or(ValueRef::Null, ValueRef::Int),
        Type::INT4 => r
            .try_get::<_, Option<i32>>(i)
            .map_err(bad)?
            .map_or(ValueRef::Null, |n| ValueRef::Int(n.into())),
        Type::INT2 => r
            .try_get::<_, Option<i16>>(i)
            .map_err(bad)?
            .map_or(ValueRef::Null, |n| ValueRef::Int(n.into())),
        Type::BOOL => r
            .try_get::<_, Option<bool>>(i)
            .map_err(bad)?
            .map_or(ValueRef::Null, |b| ValueRef::Int(b.into())),
        Type::FLOAT8 => r
            .try_get::<_, Option<f64>>(i)
            .map_err(bad)?
            .map_or(ValueRef::Null, ValueRef::Real),
        Type::BYTEA => r
            .try_get::<_, Option<&[u8]>>(i)
            .map_err(bad)?
            .map_or(ValueRef::Null, ValueRef::Blob),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => r
            .try_get::<_, Option<&str>>(i)
            .map_err(bad)?
            .map_or(ValueRef::Null, ValueRef::Text),
        other => {
            return Err(StoreError::Kind {
                expected: "an integer or text (cast sums to BIGINT)",
                found: other.name().to_string(),
            })
        }
    })
}

pub(super) fn row_len(r: &postgres::Row) -> usize {
    r.len()
}

pub(super) fn row_name(r: &postgres::Row, i: usize) -> &str {
    r.columns()[i].name()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(
            numbered("SELECT ?1, '?2', \"a?\" FROM t WHERE x = ?12 AND y = ?"),
            "SELECT $1, '?2', \"a?\" FROM t WHERE x = $12 AND y = $1"
        );
    }

    #[test]
    fn the_password_is_never_shown() {
        let url = ServerUrl::parse("postgres://desk:secret@db.hospital:5433/frontdesk").unwrap();
        assert_eq!(url.shown(), "PostgreSQL db.hospital:5433/frontdesk (desk)");
        assert!(!format!("{url:?}").contains("secret"));
        let Err(e) = ServerUrl::parse("postgres://desk:secret@db.hospital:notaport/x") else {
            panic!("a bad port parsed")
        };
        assert!(!e.to_string().contains("secret"), "{e}");
    }
}
