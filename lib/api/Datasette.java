package io.datasette.dclient.api;

import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.data.Missing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.auth.TokenReveal;
import io.datasette.dclient.core.auth.TokenSource;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.SocketTransport;
import io.datasette.dclient.core.http.Transport;
import io.datasette.dclient.core.auth.ActorCall;
import io.datasette.dclient.core.data.Catalog;
import io.datasette.dclient.core.data.SqlQuery;
import io.datasette.dclient.core.rows.RowKey;
import io.datasette.dclient.core.rows.RowOps;
import io.datasette.dclient.core.rows.TableDrop;
import io.datasette.dclient.core.session.Instance;
import io.datasette.dclient.core.session.InstanceUrl;
import io.datasette.dclient.core.session.Session;
import io.datasette.dclient.core.write.WriteJob;
import io.datasette.dclient.core.write.WriteRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One Datasette instance, opened the way the {@code dclient} command opens it: an alias from
 * {@code config.json} or a URL, with the token found in the same order ({@code --token}-style
 * explicit token, the token stored under the alias, under a URL prefix, {@code DATASETTE_TOKEN}),
 * wherever a stored token lives: {@code auth.json}, the system keyring, or a credential command
 * (run when the instance is opened, within the timeout). Failures throw {@link DclientException}
 * (unchecked) stating the facts the command prints, with advice in the library's terms.
 *
 * <pre>{@code var ds = Datasette.open("https://latest.datasette.io");}</pre>
 */
public final class Datasette {
    private final Session session;
    private final Instance instance;
    private final TokenSource token;
    private final DatasetteClient client;

    private Datasette(Session session, Instance instance, TokenSource token, DatasetteClient client) {
        this.session = session;
        this.instance = instance;
        this.token = token;
        this.client = client;
    }

    /**
     * Opens an instance by alias or URL, using the real environment and config directory (like
     * {@code dclient -i NAME}).
     *
     * <pre>{@code var ds = Datasette.open("prod");}</pre>
     */
    public static Datasette open(String aliasOrUrl) {
        Objects.requireNonNull(aliasOrUrl, "aliasOrUrl");
        return builder().instance(aliasOrUrl).build();
    }

    /**
     * Opens the default instance ({@code dclient default instance}), else {@code DATASETTE_URL}.
     *
     * <pre>{@code var ds = Datasette.open();}</pre>
     */
    public static Datasette open() {
        return builder().build();
    }

    /**
     * A builder for everything {@link #open} takes from the process: token, config directory,
     * environment, HTTP client, timeout. Unset values come from the real environment.
     *
     * <pre>{@code var ds = Datasette.builder().url("http://localhost:8001").token(System.getenv("TOKEN")).build();}</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The instance URL, without a trailing slash.
     *
     * <pre>{@code ds.url()  // "https://latest.datasette.io"}</pre>
     */
    public String url() {
        return instance.url();
    }

    /**
     * The alias the instance was opened by, or that maps to its URL; null when there is none.
     *
     * <pre>{@code ds.alias()  // "prod"}</pre>
     */
    public String alias() {
        return instance.alias();
    }

    /**
     * Where the token came from, e.g. {@code "alias prod in auth.json"},
     * {@code "alias prod in the keyring"}, {@code "DATASETTE_TOKEN"}, or {@code "none"}; never
     * the token itself.
     *
     * <pre>{@code ds.tokenSource()  // "URL prefix https://example.com in auth.json"}</pre>
     */
    public String tokenSource() {
        return LibraryAdvice.source(token.facts(), token.present());
    }

    /**
     * Whether a token is sent with requests.
     *
     * <pre>{@code if (!ds.hasToken()) System.err.println("anonymous");}</pre>
     */
    public boolean hasToken() {
        return client.hasToken();
    }

    /**
     * The token sent with requests (a secret: keep it out of logs), as {@code dclient auth token}
     * prints it; throws {@link DclientException} when there is none.
     *
     * <pre>{@code String bearer = "Bearer " + ds.token();}</pre>
     */
    public String token() {
        return LibraryAdvice.call(() -> TokenReveal.require(token, instance.label()));
    }

    /**
     * The database the command line would use without {@code -d}: the alias's default database,
     * else {@code DATASETTE_DATABASE}; throws the command's "No database specified" error.
     *
     * <pre>{@code ds.query(ds.defaultDatabase(), "select 1")}</pre>
     */
    public String defaultDatabase() {
        return LibraryAdvice.call(() -> session.database(null, instance));
    }

    /**
     * Runs read-only SQL and returns the rows as maps (column name to value, in column order).
     * The server caps results at its {@code max_returned_rows} (1000 by default).
     *
     * <pre>{@code List<Map<String, Object>> dogs = ds.query("fixtures", "select * from dogs limit 3");}</pre>
     */
    public List<Map<String, Object>> query(String database, String sql) {
        return query(database, sql, Map.of());
    }

    /**
     * Runs SQL with named parameters ({@code :name} in the SQL).
     *
     * <pre>{@code ds.query("fixtures", "select * from dogs where name = :name", Map.of("name", "Dog 7"))}</pre>
     */
    public List<Map<String, Object>> query(String database, String sql, Map<String, ?> params) {
        JsonNode response = queryJson(database, sql, params);
        return Values.rows(response.isArray() ? response : response.get("rows"), "the query");
    }

    /**
     * Runs SQL and returns Datasette's whole JSON answer ({@code rows}, {@code truncated}, ...),
     * as Jackson's {@code JsonNode}: part of the library's contract (see the package summary).
     *
     * <pre>{@code ds.queryJson("fixtures", "select count(*) as n from dogs").at("/rows/0/n").asInt()}</pre>
     */
    public JsonNode queryJson(String database, String sql) {
        return queryJson(database, sql, Map.of());
    }

    /**
     * Runs SQL with named parameters and returns the whole JSON answer.
     *
     * <pre>{@code ds.queryJson("fixtures", "select :x as x", Map.of("x", 1))}</pre>
     */
    public JsonNode queryJson(String database, String sql, Map<String, ?> params) {
        requireName(database, "database");
        Objects.requireNonNull(sql, "sql");
        List<List<String>> p = new ArrayList<>();
        if (params != null) params.forEach((k, v) -> p.add(List.of(k, Values.queryValue(v))));
        return LibraryAdvice.call(() -> {
            try {
                return SqlQuery.fetch(client, database, sql, p);
            } catch (DclientException e) {
                throw Missing.explain(e, client, Missing.Target.database(database, NotFound.Origin.GIVEN));
            }
        });
    }

    /**
     * The rows of a table, fetched lazily page by page; add filters, sorting and a limit first.
     *
     * <pre>{@code ds.rows("fixtures", "dogs").filter("age", "gte", 14).limit(5).stream().forEach(System.out::println);}</pre>
     */
    public Rows rows(String database, String table) {
        return new Rows(client, requireName(database, "database"), requireName(table, "table"));
    }

    /**
     * One row by its primary key value(s) (several for a compound key, in the table's key order,
     * or one {@code List} of them; a table without a primary key by its rowid), like
     * {@code dclient row}; throws {@link DclientException} "Row not found: ..." when there is none.
     *
     * <pre>{@code Map<String, Object> dog = ds.row("fixtures", "dogs", 42);}</pre>
     */
    public Map<String, Object> row(String database, String table, Object... primaryKey) {
        RowKey key = rowKey("row", primaryKey);
        requireName(database, "database");
        requireName(table, "table");
        return LibraryAdvice.call(() -> {
            try {
                return Values.toMap(RowOps.get(client, database, table, key));
            } catch (DclientException e) {
                throw missing(e, database, table);
            }
        });
    }

    /**
     * Sets columns of one row, like {@code dclient update}, and returns the row as stored
     * afterwards. {@code primaryKey} is the key value, or a {@code List} of values for a compound
     * key; values keep their Java/JSON types (numbers, strings, null, booleans).
     *
     * <pre>{@code ds.update("fixtures", "pets", 1, Map.of("age", 5)).get("age")  // 5}</pre>
     */
    public Map<String, Object> update(String database, String table, Object primaryKey, Map<String, ?> changes) {
        return update(database, table, primaryKey, changes, false);
    }

    /**
     * Sets columns of one row; with {@code alter} true, columns the table lacks are added first
     * (like {@code dclient update --alter}).
     *
     * <pre>{@code ds.update("fixtures", "pets", 1, Map.of("nickname", "Rexy"), true)}</pre>
     */
    public Map<String, Object> update(String database, String table, Object primaryKey, Map<String, ?> changes,
            boolean alter) {
        RowKey key = rowKey("update", primaryKey);
        Objects.requireNonNull(changes, "changes");
        if (changes.isEmpty()) throw new IllegalArgumentException("update needs at least one column to change");
        requireName(database, "database");
        requireName(table, "table");
        ObjectNode json = (ObjectNode) Values.toJson(changes);
        return LibraryAdvice.call(() -> {
            try {
                return Values.toMap(RowOps.update(client, database, table, key, json, alter));
            } catch (DclientException e) {
                throw missing(e, database, table);
            }
        });
    }

    /**
     * Deletes one row by its primary key value(s), like {@code dclient delete}; throws when there
     * is no such row.
     *
     * <pre>{@code ds.delete("fixtures", "pets", 2);}</pre>
     */
    public void delete(String database, String table, Object... primaryKey) {
        RowKey key = rowKey("delete", primaryKey);
        requireName(database, "database");
        requireName(table, "table");
        LibraryAdvice.run(() -> {
            try {
                RowOps.delete(client, database, table, key);
            } catch (DclientException e) {
                throw missing(e, database, table);
            }
        });
    }

    /**
     * Drops a table, like {@code dclient drop}, and returns its row count as Datasette reported
     * it just before. With {@code confirm} false nothing is dropped: only the row count is asked
     * for (Datasette's unconfirmed drop).
     *
     * <pre>{@code long rows = ds.drop("fixtures", "pets", true);}</pre>
     */
    public long drop(String database, String table, boolean confirm) {
        requireName(database, "database");
        requireName(table, "table");
        return LibraryAdvice.call(() -> {
            TableDrop.Preview preview;
            try {
                preview = TableDrop.preview(client, database, table);
            } catch (DclientException e) {
                throw missing(e, database, table);
            }
            if (confirm) TableDrop.confirm(client, database, table);
            return preview.rowCount();
        });
    }

    private static RowKey rowKey(String what, Object... primaryKey) {
        if (primaryKey == null || primaryKey.length == 0) {
            throw new IllegalArgumentException(what + " needs the primary key value(s)");
        }
        List<?> values = primaryKey.length == 1 && primaryKey[0] instanceof List<?> list ? list
                : java.util.Arrays.asList(primaryKey);
        if (values.isEmpty() || values.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException(what + " needs primary key values that are not null");
        }
        return RowKey.of(values);
    }

    /**
     * Inserts rows, 100 per request; a row whose primary key exists is an error.
     *
     * <pre>{@code ds.insert("fixtures", "pets", List.of(Map.of("id", 1, "name", "Rex")))}</pre>
     */
    public WriteResult insert(String database, String table, Iterable<? extends Map<String, ?>> rows) {
        return insert(database, table, rows, WriteOptions.defaults());
    }

    /**
     * Inserts rows with options (replace, ignore, alter, returning, create, batch size).
     *
     * <pre>{@code ds.insert("fixtures", "pets", rows, WriteOptions.defaults().replace())}</pre>
     */
    public WriteResult insert(String database, String table, Iterable<? extends Map<String, ?>> rows,
            WriteOptions options) {
        return write("insert", database, table, rows.iterator(), options);
    }

    /**
     * Inserts a stream of rows, sending each batch as it fills; the stream is read once.
     *
     * <pre>{@code ds.insert("fixtures", "pets", Stream.of(Map.of("id", 1, "name", "Rex")))}</pre>
     */
    public WriteResult insert(String database, String table, Stream<? extends Map<String, ?>> rows) {
        return insert(database, table, rows, WriteOptions.defaults());
    }

    /**
     * Inserts a stream of rows with options.
     *
     * <pre>{@code ds.insert("fixtures", "pets", lines.map(Pets::parse), WriteOptions.defaults().ignore())}</pre>
     */
    public WriteResult insert(String database, String table, Stream<? extends Map<String, ?>> rows,
            WriteOptions options) {
        return write("insert", database, table, rows.iterator(), options);
    }

    /**
     * Inserts rows, or updates the rows whose primary key exists; every row must include the key.
     *
     * <pre>{@code ds.upsert("fixtures", "pets", List.of(Map.of("id", 1, "name", "Rex", "age", 4)))}</pre>
     */
    public WriteResult upsert(String database, String table, Iterable<? extends Map<String, ?>> rows) {
        return upsert(database, table, rows, WriteOptions.defaults());
    }

    /**
     * Upserts rows with options (alter, returning, batch size).
     *
     * <pre>{@code ds.upsert("fixtures", "pets", rows, WriteOptions.defaults().alter())}</pre>
     */
    public WriteResult upsert(String database, String table, Iterable<? extends Map<String, ?>> rows,
            WriteOptions options) {
        return write("upsert", database, table, rows.iterator(), options);
    }

    /**
     * Upserts a stream of rows.
     *
     * <pre>{@code ds.upsert("fixtures", "pets", Stream.of(Map.of("id", 1, "age", 4)))}</pre>
     */
    public WriteResult upsert(String database, String table, Stream<? extends Map<String, ?>> rows) {
        return upsert(database, table, rows, WriteOptions.defaults());
    }

    /**
     * Upserts a stream of rows with options.
     *
     * <pre>{@code ds.upsert("fixtures", "pets", rows.stream(), WriteOptions.defaults().returning())}</pre>
     */
    public WriteResult upsert(String database, String table, Stream<? extends Map<String, ?>> rows,
            WriteOptions options) {
        return write("upsert", database, table, rows.iterator(), options);
    }

    /**
     * The actor the token stands for ({@code /-/actor.json}), or null when anonymous.
     *
     * <pre>{@code ds.actor()  // {id=root, token=dstok}}</pre>
     */
    public Map<String, Object> actor() {
        JsonNode actor = LibraryAdvice.call(() -> ActorCall.actor(ActorCall.fetch(client, token)));
        return actor == null || !actor.isObject() ? null : Values.toMap(actor);
    }

    /**
     * The names of the instance's databases, as {@code dclient databases} lists them
     * ({@code /-/databases.json}, else {@code /.json}).
     *
     * <pre>{@code ds.databases()  // [fixtures, other]}</pre>
     */
    public List<String> databases() {
        return LibraryAdvice.call(() -> List.copyOf(Catalog.databaseNames(client, Catalog.Listing.ATTACHED)));
    }

    /**
     * The names of a database's tables, hidden ones (FTS internals and the like) left out.
     *
     * <pre>{@code ds.tables("fixtures").contains("dogs")}</pre>
     */
    public List<String> tables(String database) {
        requireName(database, "database");
        return LibraryAdvice.call(() -> {
            try {
                return List.copyOf(Catalog.names(Catalog.tables(client, database, true, false, false).tables()));
            } catch (DclientException e) {
                throw missing(e, database, null);
            }
        });
    }

    /**
     * The SQL schema of a database (every CREATE statement).
     *
     * <pre>{@code System.out.println(ds.schema("fixtures"));}</pre>
     */
    public String schema(String database) {
        return schemaOf(database, null);
    }

    /**
     * The CREATE statement of one table.
     *
     * <pre>{@code ds.schema("fixtures", "dogs")  // "CREATE TABLE dogs (..."}</pre>
     */
    public String schema(String database, String table) {
        return schemaOf(database, requireName(table, "table"));
    }

    /**
     * GETs any JSON path of the instance with the token, like {@code dclient get PATH}; the
     * answer is Jackson's {@code JsonNode}, part of the library's contract (see the package summary).
     *
     * <pre>{@code ds.get("/-/versions.json").at("/datasette/version").asText()}</pre>
     */
    public JsonNode get(String path) {
        Objects.requireNonNull(path, "path");
        return LibraryAdvice.call(() -> client.getJson(path));
    }

    /**
     * Names the instance and where its token came from (never the token).
     *
     * <pre>{@code System.out.println(ds);  // Datasette[https://example.com, token: DATASETTE_TOKEN]}</pre>
     */
    @Override
    public String toString() {
        return "Datasette[" + Safe.maskUrl(instance.url()) + (instance.alias() != null ? " (" + instance.alias() + ")" : "")
                + ", token: " + tokenSource() + "]";
    }

    private WriteResult write(String verb, String database, String table, Iterator<? extends Map<String, ?>> rows,
            WriteOptions options) {
        requireName(database, "database");
        requireName(table, "table");
        WriteOptions o = options == null ? WriteOptions.defaults() : options;
        WriteRequest request = verb.equals("upsert") ? WriteRequest.upsert(database, table)
                : WriteRequest.insert(database, table);
        if (o.isReplace()) request.replace(true);
        if (o.isIgnore()) request.ignore(true);
        if (o.isCreate()) request.create(true, o.primaryKeys());
        request.alter(o.isAlter()).returning(o.isReturning());
        Iterator<ObjectNode> json = new Iterator<>() {
            private long index;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public ObjectNode next() {
                Map<String, ?> row = rows.next();
                if (row == null) throw new IllegalArgumentException("row " + index + " is null");
                index++;
                return (ObjectNode) Values.toJson(row);
            }
        };
        WriteJob.Result sent = LibraryAdvice.call(() -> {
            try {
                return new WriteJob(client, request).tokenSource(token).batchSize(o.batchSize())
                        .parallel(o.parallel()).run(json);
            } catch (DclientException e) {
                DclientException explained = missing(e, database, table);
                if (explained instanceof NotFound nf && nf.thing() == NotFound.Thing.TABLE && !o.isCreate()) {
                    throw nf.withAdvice(verb.equals("insert")
                            ? "To create it from the rows, pass WriteOptions.defaults().create(primaryKeys...)."
                            : "upsert writes to an existing table; insert with WriteOptions.defaults().create(...) creates one.");
                }
                throw explained;
            }
        });
        ArrayNode returned = Json.mapper().createArrayNode().addAll(sent.returned());
        return new WriteResult(sent.rowCount(), (int) sent.requests(), Values.rows(returned, database + "/" + table));
    }

    private String schemaOf(String database, String table) {
        requireName(database, "database");
        return LibraryAdvice.call(() -> {
            try {
                return Catalog.schemaText(Catalog.schema(client, database, table));
            } catch (DclientException e) {
                throw missing(e, database, table);
            }
        });
    }

    /** {@code e} naming the database or table (given by the caller) that the server does not have. */
    private DclientException missing(DclientException e, String database, String table) {
        return Missing.explain(e, client, Missing.Target.table(database, NotFound.Origin.GIVEN, table));
    }

    private static String requireName(String name, String what) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("a " + what + " name is required");
        return name;
    }

    /**
     * Everything {@link Datasette#open} would take from the process, settable for tests and
     * scripts.
     *
     * <pre>{@code Datasette.builder().instance("prod").configDir(Path.of("/tmp/dclient")).build()}</pre>
     */
    public static final class Builder {
        private String instance;
        private String token;
        private Path configDir;
        private Map<String, String> env;
        private Transport transport;
        private final java.util.List<Path> trust = new java.util.ArrayList<>();
        private Duration timeout;
        private PrintStream verbose;

        private Builder() {}

        /**
         * An alias from config.json or a URL (like {@code -i}); unset: the default instance, else
         * {@code DATASETTE_URL}.
         *
         * <pre>{@code Datasette.builder().instance("prod")}</pre>
         */
        public Builder instance(String aliasOrUrl) {
            this.instance = aliasOrUrl;
            return this;
        }

        /**
         * The instance URL (an alias is refused here; use {@link #instance}).
         *
         * <pre>{@code Datasette.builder().url("http://localhost:8001")}</pre>
         */
        public Builder url(String url) {
            LibraryAdvice.run(() -> InstanceUrl.check(Objects.requireNonNull(url, "url")));
            this.instance = url;
            return this;
        }

        /**
         * The API token to send, like {@code --token}: it wins over auth.json and
         * {@code DATASETTE_TOKEN}.
         *
         * <pre>{@code Datasette.builder().url(url).token(System.getenv("MY_TOKEN"))}</pre>
         */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /**
         * Where config.json and auth.json are (default: {@code DCLIENT_CONFIG_DIR}, else the
         * per-user directory Python dclient uses).
         *
         * <pre>{@code Datasette.builder().configDir(Path.of("/tmp/dclient-test"))}</pre>
         */
        public Builder configDir(Path dir) {
            this.configDir = dir;
            return this;
        }

        /**
         * The environment variables to read ({@code DATASETTE_URL}, {@code DATASETTE_TOKEN},
         * {@code DATASETTE_DATABASE}, {@code DCLIENT_CONFIG_DIR}, {@code DCLIENT_TIMEOUT}, proxies, {@code SSL_CERT_FILE},
         * {@code SSL_CERT_DIR})
         * instead of the real ones.
         *
         * <pre>{@code Datasette.builder().env(Map.of("DATASETTE_URL", "http://localhost:8001"))}</pre>
         */
        public Builder env(Map<String, String> env) {
            this.env = env;
            return this;
        }

        /**
         * Trusts the certificates in this PEM file (or in the PEM files of this directory) for
         * {@code https://}, in addition to the JDK's CAs and to {@code SSL_CERT_FILE} and
         * {@code SSL_CERT_DIR}: for a server signed by your organisation's own CA. Repeatable.
         *
         * <pre>{@code Datasette.builder().url("https://datasette.internal").trustCertificates(Path.of("corp-ca.pem"))}</pre>
         */
        public Builder trustCertificates(Path pemFileOrDirectory) {
            this.trust.add(Objects.requireNonNull(pemFileOrDirectory, "pemFileOrDirectory"));
            return this;
        }

        /**
         * How requests cross the network (default: dclient's own HTTP/1.1 transport, which
         * honours {@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code NO_PROXY}, {@code SSL_CERT_FILE}
         * and {@code SSL_CERT_DIR}). A transport must not follow redirects itself; tests can pass
         * an in-memory one.
         *
         * <pre>{@code Datasette.builder().transport(request -> myFake.answer(request))}</pre>
         */
        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /**
         * The time limit (default {@code DCLIENT_TIMEOUT} seconds, else 30 s), like
         * {@code --timeout}: the longest wait to connect, for a response's headers and between
         * any two pieces of its body; a whole request may take ten times as long.
         *
         * <pre>{@code Datasette.builder().timeout(Duration.ofSeconds(5))}</pre>
         */
        public Builder timeout(Duration timeout) {
            if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
                throw new IllegalArgumentException("timeout must be positive, not " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Logs each request and response status to this stream (never the token), like {@code -v},
         * and warns there (once) when the token is about to be sent over plain {@code http://}
         * to a host that is not this machine.
         *
         * <pre>{@code Datasette.builder().instance("prod").verbose(System.err)}</pre>
         */
        public Builder verbose(PrintStream log) {
            this.verbose = log;
            return this;
        }

        /**
         * Resolves the instance and the token and returns the handle; nothing is requested yet.
         *
         * <pre>{@code Datasette ds = Datasette.builder().instance("prod").build();}</pre>
         */
        public Datasette build() {
            return LibraryAdvice.call(() -> {
                Context ctx = Context.library(env, configDir, transport, verbose);
                if (transport == null && !trust.isEmpty()) { // the context's environment, plus these certificates
                    ctx = Context.library(ctx.env(), configDir, SocketTransport.fromEnv(ctx.env(), trust, null), verbose);
                }
                Session session = new Session(ctx);
                Instance inst = session.instance(instance);
                Duration t = timeout != null ? timeout : session.timeout();
                TokenSource tok = session.token(token, inst, t);
                DatasetteClient client = new DatasetteClient(ctx.http(), inst.url(), tok.token(),
                        io.datasette.dclient.core.Secrets.masking(verbose, java.util.Collections.singletonList(tok.token())), t,
                        inst.label()).warnings(verbose).tokenFacts(tok.facts());
                return new Datasette(session, inst, tok, client);
            });
        }
    }
}
