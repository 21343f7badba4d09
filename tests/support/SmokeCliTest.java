package io.datasette.dclient.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeCliTest {
    @TempDir
    Path dir;

    @Test
    void queryAgainstRecordedDatasetteFollowsTheRedirect() {
        WireMockServer wm = Recordings.start();
        try {
            CliRunner.Result r = new CliRunner(dir).run("query", "fixtures", "select * from dogs limit 3",
                    "-i", wm.baseUrl(), "--csv");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.out().startsWith("id,name,age,breed,weight,is_good\r\n1,Dog 1,1,Poodle,6.25,1\r\n"), r.toString());
        } finally {
            wm.stop();
        }
    }
}
