// The list of every test source under tests/, for JBang (same scheme as lib/Sources.java).
// tests/TestRunner.java sources this file; SourcesManifestTest checks the list.
//SOURCES RunnerSmokeTest.java
//SOURCES SourcesManifestTest.java
//SOURCES api/DatasetteTest.java
//SOURCES api/ReadmeSnippetsTest.java
//SOURCES api/TokensTest.java
//SOURCES api/WriteTest.java
//SOURCES cli/CommandSpecsTest.java
//SOURCES cli/DispatcherTest.java
//SOURCES cli/HelpRendererTest.java
//SOURCES cli/ReadmeReferenceTest.java
//SOURCES cli/commands/alias/AliasCommandsTest.java
//SOURCES cli/commands/app/CompletionTest.java
//SOURCES cli/commands/auth/AuthCommandsTest.java
//SOURCES cli/commands/auth/TokenHygieneTest.java
//SOURCES cli/commands/auth/TokenResolutionCliTest.java
//SOURCES cli/commands/data/GetHandlerTest.java
//SOURCES cli/commands/data/IntrospectionTest.java
//SOURCES cli/commands/data/RowsCommandTest.java
//SOURCES cli/commands/data/RowsStreamingTest.java
//SOURCES cli/commands/login/LoginCommandTest.java
//SOURCES cli/commands/query/QueryCommandTest.java
//SOURCES cli/commands/write/CreateTableTest.java
//SOURCES cli/commands/write/InsertCommandTest.java
//SOURCES cli/output/FormatTest.java
//SOURCES cli/output/RowWriterTest.java
//SOURCES cli/output/TableStyleTest.java
//SOURCES core/auth/AuthStoreTest.java
//SOURCES core/auth/TokenMetadataTest.java
//SOURCES core/auth/TokenResolverTest.java
//SOURCES core/auth/UrlPrefixTest.java
//SOURCES core/config/ConfigDirTest.java
//SOURCES core/config/ConfigStoreTest.java
//SOURCES core/config/JsonTest.java
//SOURCES core/data/SqlQueryTest.java
//SOURCES core/http/DatasetteClientTest.java
//SOURCES core/http/ProxyTest.java
//SOURCES core/http/QueryTest.java
//SOURCES core/http/TildeTest.java
//SOURCES core/login/DeviceFlowTest.java
//SOURCES core/login/ScopesTest.java
//SOURCES core/session/SessionTest.java
//SOURCES core/write/BatchingTest.java
//SOURCES core/write/InputParsingTest.java
//SOURCES core/write/ProgressTest.java
//SOURCES core/write/StreamingInsertTest.java
//SOURCES core/write/TypeDetectorTest.java
//SOURCES support/CliRunner.java
//SOURCES support/FakeTime.java
//SOURCES support/HostileServer.java
//SOURCES support/HostileServerTest.java
//SOURCES support/RecordedDatasette.java
//SOURCES support/Recordings.java
//SOURCES support/ReferenceDoc.java
//SOURCES support/SmokeCliTest.java
//SOURCES support/TestClock.java
package io.datasette.dclient;

final class TestSources {
    private TestSources() {}
}
