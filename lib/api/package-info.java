/**
 * dclient as a library: {@link io.datasette.dclient.api.Datasette} opens an instance the way the
 * {@code dclient} command does (aliases, auth.json, environment variables, proxies) and reads
 * and writes it; {@link io.datasette.dclient.api.Tokens} is the token store. A facade over the
 * core the commands use (no Datasette knowledge of its own), so resolution, paging and writes
 * are the command's own.
 *
 * <p>Failures are unchecked {@link io.datasette.dclient.core.DclientException}s: {@code kind()}
 * says what went wrong, the message states the same facts the command prints, and what to do
 * next is said in the library's terms (its builder methods and {@code Tokens}, never a
 * command-line option); {@code advice()} gives that advice as data.
 *
 * <p>JSON: {@code queryJson} and {@code get} return Jackson's {@code JsonNode}
 * ({@code com.fasterxml.jackson.databind}, the version {@code dclient.java} names in its
 * {@code //DEPS}). That is part of the library's contract, not an accident of its insides:
 * Datasette answers in JSON of open-ended shape, Jackson is already what dclient reads it with,
 * and its tree is the common currency of JSON in Java. Callers that want plain Java values use
 * {@code query} and {@code rows}, which return {@code Map}s and {@code List}s.
 *
 * <pre>{@code
 * var ds = Datasette.open("prod");
 * ds.rows("fixtures", "dogs").filter("age", "gte", 14).limit(5).stream().forEach(System.out::println);
 * }</pre>
 */
package io.datasette.dclient.api;
