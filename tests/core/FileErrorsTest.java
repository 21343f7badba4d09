package io.datasette.dclient.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import org.junit.jupiter.api.Test;

/**
 * FileErrors: the operating system's reason in the message, checked with constructed exceptions
 * (so it holds where the suite runs as root and chmod denies nothing).
 */
class FileErrorsTest {
    static final Path AUTH = Path.of("/home/u/.config/io.datasette.dclient/auth.json");

    @Test
    void eachExceptionSaysWhy() {
        String f = AUTH.toString();
        assertEquals("permission denied", FileErrors.reason(new AccessDeniedException(f), AUTH));
        assertEquals("no such file or directory", FileErrors.reason(new NoSuchFileException(f), AUTH));
        assertEquals("not a directory", FileErrors.reason(new NotDirectoryException(f), AUTH));
        assertEquals("directory not empty", FileErrors.reason(new DirectoryNotEmptyException(f), AUTH));
        assertEquals("read-only file system", FileErrors.reason(new ReadOnlyFileSystemException(), AUTH));
        assertEquals("read-only file system", FileErrors.reason(new FileSystemException(f, null, "Read-only file system"), AUTH));
        assertEquals("is a directory", FileErrors.reason(new IOException("Is a directory"), AUTH));
        assertEquals("no space left on device", FileErrors.reason(new FileSystemException(f, null, "No space left on device"), AUTH));
        assertEquals("interrupted", FileErrors.reason(new ClosedByInterruptException(), AUTH));
    }

    @Test
    void aPathOtherThanTheFileIsNamed() {
        Path dir = AUTH.getParent();
        assertEquals("permission denied (" + dir + ")",
                FileErrors.reason(new AccessDeniedException(dir.toString()), AUTH));
        assertEquals("permission denied (writing in " + dir + ")",
                FileErrors.reason(new AccessDeniedException(dir.resolve(".auth.json.123.tmp").toString()), AUTH));
        // Java's message is sometimes only the path: never "Cannot read X: X"
        assertEquals("IOException", FileErrors.reason(new IOException(AUTH.toString()), AUTH));
    }

    @Test
    void cannotBuildsTheWholeMessageAndKind() {
        DclientException e = FileErrors.cannot("read", AUTH, new AccessDeniedException(AUTH.toString()), null);
        assertEquals("Cannot read " + AUTH + ": permission denied", e.getMessage());
        assertEquals(DclientException.Kind.INPUT, e.kind());
        DclientException w = FileErrors.cannot("write", AUTH,
                new FileSystemException(AUTH.toString(), null, "Read-only file system"), "The previous version is unchanged.");
        assertEquals("Cannot write " + AUTH + ": read-only file system. The previous version is unchanged.", w.getMessage());
        assertEquals(DclientException.Kind.INTERRUPTED,
                FileErrors.cannot("write", AUTH, new ClosedByInterruptException(), null).kind());
    }
}
