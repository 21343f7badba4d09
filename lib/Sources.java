// The list of every source file under lib/, for JBang. Globs are dropped when the script is
// loaded from a URL (jbang dclient@owner/repo), so each file is named; a test checks the list.
//SOURCES alias/AliasAddHandler.java
//SOURCES alias/AliasListHandler.java
//SOURCES alias/AliasRemoveHandler.java
//SOURCES alias/DefaultDatabaseHandler.java
//SOURCES alias/DefaultInstanceHandler.java
//SOURCES alias/InstancesHandler.java
//SOURCES app/CompletionHandler.java
//SOURCES auth/ActorHandler.java
//SOURCES auth/AuthAddHandler.java
//SOURCES auth/AuthListHandler.java
//SOURCES auth/AuthRemoveHandler.java
//SOURCES auth/AuthStatusHandler.java
//SOURCES auth/AuthStore.java
//SOURCES auth/TokenResolver.java
//SOURCES auth/TokenSource.java
//SOURCES auth/UrlPrefix.java
//SOURCES cli/Browser.java
//SOURCES cli/CommandDef.java
//SOURCES cli/CommandSpecs.java
//SOURCES cli/Context.java
//SOURCES cli/DclientException.java
//SOURCES cli/Dispatcher.java
//SOURCES cli/Handler.java
//SOURCES cli/HelpRenderer.java
//SOURCES cli/Invocation.java
//SOURCES cli/Main.java
//SOURCES cli/Sleeper.java
//SOURCES cli/Terminal.java
//SOURCES cli/Version.java
//SOURCES config/Config.java
//SOURCES config/ConfigDir.java
//SOURCES config/ConfigStore.java
//SOURCES config/Json.java
//SOURCES config/JsonFiles.java
//SOURCES data/DatabasesHandler.java
//SOURCES data/GetHandler.java
//SOURCES data/PluginsHandler.java
//SOURCES data/RowsHandler.java
//SOURCES data/SchemaHandler.java
//SOURCES data/TablesHandler.java
//SOURCES http/DatasetteClient.java
//SOURCES http/Http.java
//SOURCES http/Query.java
//SOURCES http/Response.java
//SOURCES http/Tilde.java
//SOURCES login/LoginHandler.java
//SOURCES login/SystemBrowser.java
//SOURCES output/Format.java
//SOURCES output/RowWriter.java
//SOURCES query/BareQueryHandler.java
//SOURCES query/QueryHandler.java
//SOURCES query/SqlQuery.java
//SOURCES session/Instance.java
//SOURCES session/Session.java
//SOURCES write/CreateTableHandler.java
//SOURCES write/InsertHandler.java
//SOURCES write/UpsertHandler.java
package io.datasette.dclient;

final class Sources {
    private Sources() {}
}
