// The list of every test source under tests/, for JBang (same scheme as lib/Sources.java).
// tests/TestRunner.java sources this file; SourcesManifestTest checks the list.
//SOURCES RunnerSmokeTest.java
//SOURCES SourcesManifestTest.java
//SOURCES auth/AuthStoreTest.java
//SOURCES auth/TokenResolverTest.java
//SOURCES auth/UrlPrefixTest.java
//SOURCES cli/CommandSpecsTest.java
//SOURCES login/DeviceFlowTest.java
//SOURCES login/FakeTime.java
//SOURCES login/LoginCommandTest.java
//SOURCES login/ScopesTest.java
//SOURCES support/CliRunner.java
//SOURCES support/Recordings.java
//SOURCES support/SmokeCliTest.java
package io.datasette.dclient;

final class TestSources {
    private TestSources() {}
}
