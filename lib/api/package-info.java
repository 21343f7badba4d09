/**
 * dclient as a library: {@link io.datasette.dclient.api.Datasette} opens an instance the way the
 * {@code dclient} command does (aliases, auth.json, environment variables, proxies) and reads
 * and writes it; {@link io.datasette.dclient.api.Tokens} is the token store. A facade over the
 * core the commands use (no Datasette knowledge of its own), so resolution, paging, writes and
 * error messages are the command's own. Failures are unchecked
 * {@link io.datasette.dclient.core.DclientException}s whose {@code kind()} says what went wrong.
 *
 * <pre>{@code
 * var ds = Datasette.open("prod");
 * ds.rows("fixtures", "dogs").filter("age", "gte", 14).limit(5).stream().forEach(System.out::println);
 * }</pre>
 */
package io.datasette.dclient.api;
