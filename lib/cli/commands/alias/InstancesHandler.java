package io.datasette.dclient.cli.commands.alias;

/** {@code instances}: the same listing as {@code alias list}. */
public final class InstancesHandler extends AliasListHandler {}
