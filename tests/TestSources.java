// The list of every test source under tests/, for JBang (same scheme as lib/Sources.java).
// tests/TestRunner.java sources this file; SourcesManifestTest checks the list.
//SOURCES RunnerSmokeTest.java
//SOURCES SourcesManifestTest.java
//SOURCES alias/AliasCommandsTest.java
//SOURCES api/DatasetteTest.java
//SOURCES api/ReadmeSnippetsTest.java
//SOURCES api/TokensTest.java
//SOURCES api/WriteTest.java
//SOURCES app/CompletionTest.java
//SOURCES auth/AuthCommandsTest.java
//SOURCES auth/AuthStoreTest.java
//SOURCES auth/TokenHygieneTest.java
//SOURCES auth/TokenMetadataTest.java
//SOURCES auth/TokenResolutionCliTest.java
//SOURCES auth/TokenResolverTest.java
//SOURCES auth/UrlPrefixTest.java
//SOURCES cli/CommandSpecsTest.java
//SOURCES cli/DispatcherTest.java
//SOURCES cli/HelpRendererTest.java
//SOURCES cli/ReadmeReferenceTest.java
//SOURCES config/ConfigDirTest.java
//SOURCES config/ConfigStoreTest.java
//SOURCES config/JsonTest.java
//SOURCES data/GetHandlerTest.java
//SOURCES data/IntrospectionTest.java
//SOURCES data/RowsCommandTest.java
//SOURCES data/RowsStreamingTest.java
//SOURCES http/DatasetteClientTest.java
//SOURCES http/ProxyTest.java
//SOURCES http/QueryTest.java
//SOURCES http/TildeTest.java
//SOURCES login/DeviceFlowTest.java
//SOURCES login/FakeTime.java
//SOURCES login/LoginCommandTest.java
//SOURCES login/ScopesTest.java
//SOURCES output/FormatTest.java
//SOURCES output/RowWriterTest.java
//SOURCES query/QueryCommandTest.java
//SOURCES query/SqlQueryTest.java
//SOURCES session/SessionTest.java
//SOURCES support/CliRunner.java
//SOURCES support/RecordedDatasette.java
//SOURCES support/Recordings.java
//SOURCES support/ReferenceDoc.java
//SOURCES support/SmokeCliTest.java
//SOURCES write/BatchingTest.java
//SOURCES write/CreateTableTest.java
//SOURCES write/InputParsingTest.java
//SOURCES write/InsertCommandTest.java
//SOURCES write/ProgressTest.java
//SOURCES write/StreamingInsertTest.java
//SOURCES write/TestClock.java
//SOURCES write/TypeDetectorTest.java
package io.datasette.dclient;

final class TestSources {
    private TestSources() {}
}
